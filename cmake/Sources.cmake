# Explicit source lists (no globbing): a new file is added here or in its topic.cmake on purpose.

# The topics, in no particular order: each folder src/topics/NAME holds the command, its helpers,
# its kernels (kernels/, built into sysbench_kernels) and its tests, listed in NAME/topic.cmake.
# A new topic adds its name here and one line to src/topics/registry.cc.
set(SYSBENCH_TOPICS
  info float_info flops gpu cache_stride layout mmap threads latency bandwidth net serialize exec train
  disk)

include(cmake/Topics.cmake)
foreach(topic IN LISTS SYSBENCH_TOPICS)
  include(src/topics/${topic}/topic.cmake)
endforeach()

set(SYSBENCH_KERNEL_SOURCES
  src/core/kernels/clock_chain.cc
  ${SYSBENCH_TOPIC_KERNELS}
)

set(SYSBENCH_LIB_SOURCES
  src/cli/main_cli.cc
  src/cli/output_file.cc
  src/cli/compare.cc
  src/cli/fleet.cc
  src/cli/fleet_document.cc
  src/cli/fleet_report.cc
  src/cli/compare_writers.cc
  src/cli/run_set.cc
  src/cli/suite.cc
  src/core/cleanup.cc
  src/core/contention.cc
  src/core/clock.cc
  src/core/cpu_features.cc
  src/core/cpuid_caches.cc
  src/core/environment.cc
  src/core/input_file.cc
  src/core/shard.cc
  src/core/mapped_buffer.cc
  src/core/error.cc
  src/core/notes.cc
  src/core/outliers.cc
  src/core/page_cache.cc
  src/core/parallel.cc
  src/core/result.cc
  src/core/run_context.cc
  src/core/run_stats.cc
  src/core/runner.cc
  src/core/stats.cc
  src/core/system_info.cc
  src/core/list_parse.cc
  src/core/units.cc
  src/core/version.cc
  src/report/table.cc
  src/report/text_reporter.cc
  src/report/delimited_reporter.cc
  src/report/escape.cc
  src/report/json_reporter.cc
  src/report/markdown_reporter.cc
  src/report/reporter_factory.cc
  src/report/gbench_json_reporter.cc
  src/report/html_reporter.cc
  src/report/results_reader.cc
  src/report/svg_chart.cc
  src/topics/registry.cc
  ${SYSBENCH_TOPIC_SOURCES}
)
