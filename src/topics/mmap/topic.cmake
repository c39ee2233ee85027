sysbench_topic(mmap
  SOURCES command.cc support.cc
  KERNELS kernels/mmap_kernels.cc
  TESTS mmap_test.cc)
