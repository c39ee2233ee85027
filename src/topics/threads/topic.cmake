sysbench_topic(threads
  SOURCES command.cc process.cc
  KERNELS kernels/threads_kernels.cc
  TESTS threads_test.cc)
