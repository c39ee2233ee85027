sysbench_topic(float_info
  SOURCES command.cc facts.cc format.cc hardware.cc value.cc
  TESTS float_info_test.cc)
