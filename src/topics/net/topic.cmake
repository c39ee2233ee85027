sysbench_topic(net
  SOURCES command.cc client.cc pairs.cc server.cc socket.cc exposure.cc docker_ports.cc
  KERNELS kernels/net_protocol.cc kernels/proc_net.cc
  TESTS net_test.cc exposure_test.cc pairs_test.cc)
