// The CPython way of `sysbench exec`: the same loops written in Python, run by `python3 -I -S -B`
// as a child (script on the command line, nothing written to disk), timed inside Python with
// time.perf_counter_ns, on 1..N threads (one interpreter lock) and 1..N forked processes.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "topics/exec/kernels/expr.h"

namespace sysbench {

struct PythonRow {
  std::string parallel;  // "threads" or "processes"
  int workers = 1;
  std::vector<double> ns_per_op;  // one per sample: wall ns / (workers * elements * passes)
};

struct PythonProgram {
  std::optional<double> checksum;  // update: z summed left to right; sum: the sum
  std::vector<PythonRow> rows;
};

struct PythonRun {
  std::string skipped;  // why there are no rows ("" when it ran)
  std::string version;
  std::string gil;                                // "yes", or "no" on a free-threaded build
  std::map<std::string, PythonProgram> programs;  // by program name
};

struct PythonPlan {
  std::string interpreter;            // a path
  std::vector<std::string> programs;  // "update", "sum"
  std::size_t elements = 0;
  int samples = 1;
  double min_seconds = 0.01;  // each sample runs whole passes for at least this long
  std::vector<int> workers;
  double timeout_seconds = 30;
};

// The expression as Python source over a[i], b[i], c[i], x[i], fully parenthesized so that
// Python evaluates exactly the tree's operations in the tree's order; constants as exact floats.
std::string PythonSource(const kernels::Expr& expr);

// One child runs every program of the plan (one interpreter start).
PythonRun RunPython(const PythonPlan& plan, const kernels::Expr& update, const kernels::Expr& sum);

// Seconds from spawning `interpreter -I -S -B -c pass` to its exit: the median of `runs`.
// Negative when it fails.
double InterpreterStartSeconds(const std::string& interpreter, int runs, double timeout_seconds);

}  // namespace sysbench
