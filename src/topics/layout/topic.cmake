sysbench_topic(layout SOURCES command.cc KERNELS kernels/layout.cc TESTS layout_test.cc)
