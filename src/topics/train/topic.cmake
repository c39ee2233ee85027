sysbench_topic(train
  SOURCES command.cc trainer.cc data_files.cc data_path.cc flops_reference.cc spread.cc
  KERNELS kernels/sgd.cc
  TESTS train_test.cc)
