# Explicit source lists (no globbing): a new file is added here on purpose.

set(SYSBENCH_KERNEL_SOURCES
  src/kernels/clock_chain.cc
  src/kernels/net_protocol.cc
  src/kernels/serialize_codec.cc
)

set(SYSBENCH_LIB_SOURCES
  src/cli/main_cli.cc
  src/cli/output_file.cc
  src/core/cleanup.cc
  src/core/clock.cc
  src/core/cpu_features.cc
  src/core/environment.cc
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
  src/commands/registry.cc
  src/commands/info.cc
  src/commands/float_info.cc
  src/commands/float_facts.cc
  src/commands/float_format.cc
  src/commands/float_hardware.cc
  src/commands/float_value.cc
  src/commands/net.cc
  src/commands/net_client.cc
  src/commands/net_server.cc
  src/commands/net_socket.cc
  src/commands/serialize.cc
)

# Kernels that need wider instruction sets than the baseline get them per file, and are only
# called after cpuid says the CPU has them, e.g.:
#   set_source_files_properties(src/kernels/flops_avx512.cc PROPERTIES COMPILE_OPTIONS "-mavx512f")
