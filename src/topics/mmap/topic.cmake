sysbench_topic(mmap
  SOURCES command.cc passes.cc anon_touch.cc file_read.cc mmap_vs_read.cc residency.cc support.cc
  KERNELS kernels/mmap_kernels.cc
  TESTS mmap_test.cc)
