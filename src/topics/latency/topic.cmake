sysbench_topic(latency
  SOURCES command.cc levels.cc probe.cc
  KERNELS kernels/latency_chase.cc
  TESTS latency_test.cc)
