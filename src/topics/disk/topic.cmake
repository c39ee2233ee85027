sysbench_topic(disk
  SOURCES command.cc cases.cc sweep.cc queue_depth.cc durability.cc cache.cc facts_case.cc
          engine.cc facts.cc target.cc
  KERNELS kernels/disk_kernels.cc
  TESTS disk_test.cc)
