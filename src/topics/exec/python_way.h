// The CPython way of `sysbench exec`: the same loops written in Python, run by `python3 -I -S -B`
// as a child (script on the command line, nothing written to disk), timed inside Python on 1..N
// pinned threads (one interpreter lock) and 1..N pinned forked processes, each worker reading its
// own clocks: time.perf_counter_ns for the wall, time.thread_time_ns for the CPU it ran.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "topics/exec/child_process.h"
#include "topics/exec/kernels/expr.h"

namespace sysbench {

struct PythonRow {
  std::string parallel;  // "threads" or "processes"
  int workers = 1;
  // One per round, per element over all workers: the wall from the first worker's start to the
  // last one's end, and the CPU time the workers ran, over (workers * elements * passes).
  std::vector<double> wall_ns_per_op;
  std::vector<double> cpu_ns_per_op;
  // The share of the wall the workers had their CPUs (CpuShare: under the GIL, threads take turns).
  std::vector<double> cpu_share;
};

struct PythonInfo {
  std::string version;
  std::string executable;  // sys.executable
  std::string gil;         // "yes", or "no" on a free-threaded build
};

struct PythonPlan {
  std::string interpreter;            // a path
  std::vector<std::string> programs;  // "update", "sum", in the order they are asked for
  std::size_t elements = 0;
  double min_seconds = 0.01;  // each sample runs whole passes for at least this long
  std::vector<int> workers;
  std::vector<int> cpus;  // worker i is pinned to cpus[i % size] (none: not pinned)
  double timeout_seconds = 30;
};

// One CPython child for every program of the plan (one interpreter start), driven round by round,
// so that its rounds can alternate with the rounds of the in-process ways: load that comes and
// goes then touches both alike. Once it fails (an error in Python, the time limit, output it
// cannot read) Skipped() says why and every call does nothing.
class PythonChild {
 public:
  PythonChild(const PythonPlan& plan, const kernels::Expr& update, const kernels::Expr& sum);
  ~PythonChild();
  PythonChild(const PythonChild&) = delete;
  PythonChild& operator=(const PythonChild&) = delete;

  const std::string& Skipped() const { return skipped_; }
  const PythonInfo& Info() const { return info_; }
  // The next program of the plan: its result (update: z summed left to right; sum: the sum),
  // once its workers are started, calibrated and warm.
  std::optional<double> Begin(const std::string& program);
  // One sample of every worker count, threads then processes; false when a worker of one of them
  // waited for its CPU (CpuShare under kMinCpuShare; true once the child failed: no samples).
  bool Round();
  // The program's rows; the child goes on to the next program (or exits after the last).
  std::vector<PythonRow> End();

 private:
  std::optional<std::string> Line();
  void Fail(const std::string& why);

  PythonPlan plan_;
  std::unique_ptr<ChildSession> session_;
  std::string skipped_;
  PythonInfo info_;
  std::size_t begun_ = 0;  // programs begun
  std::vector<PythonRow> rows_;
};

// Several CPython children for the same plan, the rounds dealt to them in turn. What a pass costs
// an interpreter depends on where its objects landed in memory, which changes with every process
// (medians of 45 rounds 5% apart between ten starts on xeon-amx-kvm-c, with or without ASLR or a
// fixed hash seed), so one child's rows carry that process's luck; pooled over several, as pyperf
// pools its worker processes, they move less from run to run. The round after round r goes to the
// next child, and End() puts the samples back in round order, so that they still pair with the
// in-process rounds. Once any child fails, Skipped() says why and every call does nothing.
class PythonChildren {
 public:
  PythonChildren(int count, const PythonPlan& plan, const kernels::Expr& update,
                 const kernels::Expr& sum);

  const std::string& Skipped() const { return skipped_; }
  const PythonInfo& Info() const { return children_.front()->Info(); }
  // Every child's result, when all agree bit for bit (else the way is skipped with the reason).
  std::optional<double> Begin(const std::string& program);
  bool Round();
  std::vector<PythonRow> End();

 private:
  bool Failed();  // records the first child's failure; true when there is one

  std::vector<std::unique_ptr<PythonChild>> children_;
  std::size_t rounds_ = 0;  // rounds dealt out since the program began
  std::string skipped_;
};

// The expression as Python source over a[i], b[i], c[i], x[i], fully parenthesized so that
// Python evaluates exactly the tree's operations in the tree's order; constants as exact floats.
std::string PythonSource(const kernels::Expr& expr);

// The interpreter to run for `path`: itself when it is an executable binary; when it is a script
// (a pyenv shim, a wrapper that picks a version), the interpreter it starts, asked once with
// sys.executable, so that no shell and no version lookup run in front of every measurement.
// `*why` says what was done when the path changed; "" is returned when it cannot be run.
std::string ResolveInterpreter(const std::string& path, double timeout_seconds, std::string* why);

// Seconds from spawning `interpreter -I -S -B -c pass` to its exit: the median of `runs`.
// Negative when it fails.
double InterpreterStartSeconds(const std::string& interpreter, int runs, double timeout_seconds);

}  // namespace sysbench
