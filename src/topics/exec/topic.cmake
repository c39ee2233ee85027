sysbench_topic(exec
  SOURCES command.cc child_process.cc instruction_counter.cc programs.cc python_way.cc
    rounds.cc
  KERNELS kernels/expr.cc kernels/ways.cc
  TESTS exec_test.cc
  # Every way must give the same bits: no fused multiply-add contraction in the compiled loops,
  # whatever -march a build adds. Every function on a 64-byte line: the VM's one dispatch jump
  # costs twice as much when its block straddles two lines, which where the linker put the
  # function decided, so a change anywhere else in sysbench moved the VM's figure (3.2 or 7.3 ns
  # per element of `sum` on Sapphire Rapids, docs/exec.md).
  ISA kernels/ways.cc "-ffp-contract=off -falign-functions=64")
