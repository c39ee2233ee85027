sysbench_topic(threads
  SOURCES command.cc scenario_support.cc scaling.cc locks.cc race.cc reorder.cc false_sharing.cc
          spawn.cc process.cc
  KERNELS kernels/threads_kernels.cc
  TESTS threads_test.cc)
