sysbench_topic(net
  SOURCES command.cc client.cc pairs.cc server.cc socket.cc
  KERNELS kernels/net_protocol.cc
  TESTS net_test.cc pairs_test.cc)
