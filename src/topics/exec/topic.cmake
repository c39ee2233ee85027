sysbench_topic(exec
  SOURCES command.cc child_process.cc instruction_counter.cc programs.cc python_way.cc
    rounds.cc
  KERNELS kernels/expr.cc kernels/ways.cc
  TESTS exec_test.cc
  # Every way must give the same bits: no fused multiply-add contraction in the compiled loops,
  # whatever -march a build adds.
  ISA kernels/ways.cc "-ffp-contract=off")
