sysbench_topic(serialize
  SOURCES command.cc
  KERNELS kernels/serialize_codec.cc
  TESTS serialize_test.cc)
