# Explicit source lists (no globbing): a new file is added here on purpose.

set(SYSBENCH_KERNEL_SOURCES
  src/kernels/clock_chain.cc
  src/kernels/flops.cc
  src/kernels/flops_sse2.cc
  src/kernels/flops_sse41.cc
  src/kernels/flops_fma128.cc
  src/kernels/flops_avx2.cc
  src/kernels/flops_avx512.cc
  src/kernels/cache_stride.cc
  src/kernels/cache_stride_avx2.cc
  src/kernels/layout.cc
  src/kernels/mmap_kernels.cc
  src/kernels/threads_kernels.cc
  src/kernels/net_protocol.cc
  src/kernels/serialize_codec.cc
  src/kernels/latency_chase.cc
  src/kernels/bandwidth_scalar.cc
  src/kernels/bandwidth_avx2.cc
  src/kernels/bandwidth_avx512.cc
)

set(SYSBENCH_LIB_SOURCES
  src/cli/main_cli.cc
  src/cli/output_file.cc
  src/cli/compare.cc
  src/cli/suite.cc
  src/core/cleanup.cc
  src/core/clock.cc
  src/core/cpu_features.cc
  src/core/cpuid_caches.cc
  src/core/environment.cc
  src/core/mann_whitney.cc
  src/core/error.cc
  src/core/notes.cc
  src/core/parallel.cc
  src/core/result.cc
  src/core/run_context.cc
  src/core/runner.cc
  src/core/stats.cc
  src/core/system_info.cc
  src/core/units.cc
  src/core/version.cc
  src/report/table.cc
  src/report/text_reporter.cc
  src/report/delimited_reporter.cc
  src/report/json_reporter.cc
  src/report/markdown_reporter.cc
  src/report/reporter_factory.cc
  src/report/gbench_json_reporter.cc
  src/report/html_reporter.cc
  src/report/results_reader.cc
  src/report/svg_chart.cc
  src/commands/registry.cc
  src/commands/info.cc
  src/commands/float_info.cc
  src/commands/float_facts.cc
  src/commands/float_format.cc
  src/commands/float_hardware.cc
  src/commands/float_value.cc
  src/commands/flops.cc
  src/commands/flops_peak.cc
  src/commands/cache_stride.cc
  src/commands/cache_stride_detect.cc
  src/commands/layout.cc
  src/commands/mmap.cc
  src/commands/mmap_support.cc
  src/commands/threads.cc
  src/commands/threads_process.cc
  src/commands/net.cc
  src/commands/net_client.cc
  src/commands/net_server.cc
  src/commands/net_socket.cc
  src/commands/serialize.cc
  src/commands/latency.cc
  src/commands/latency_levels.cc
  src/commands/latency_buffer.cc
  src/commands/bandwidth.cc
)

# Kernels that need wider instruction sets than the baseline get them per file, and are only
# called after cpuid says the CPU has them, e.g.:
#   set_source_files_properties(src/kernels/flops_avx512.cc PROPERTIES COMPILE_OPTIONS "-mavx512f")
set_source_files_properties(src/kernels/flops_sse41.cc PROPERTIES COMPILE_OPTIONS "-msse4.1")
set_source_files_properties(src/kernels/flops_fma128.cc PROPERTIES COMPILE_OPTIONS "-mavx;-mfma")
set_source_files_properties(src/kernels/flops_avx2.cc PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
set_source_files_properties(src/kernels/flops_avx512.cc PROPERTIES COMPILE_OPTIONS "-mavx512f")
set_source_files_properties(src/kernels/cache_stride_avx2.cc PROPERTIES COMPILE_OPTIONS "-mavx2")
set_source_files_properties(src/kernels/bandwidth_avx2.cc PROPERTIES COMPILE_OPTIONS "-mavx2;-mfma")
set_source_files_properties(src/kernels/bandwidth_avx512.cc PROPERTIES COMPILE_OPTIONS "-mavx512f")
