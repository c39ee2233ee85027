sysbench_topic(info SOURCES command.cc)
