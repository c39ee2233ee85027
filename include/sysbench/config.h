// Global options, parsed once by the CLI and read by every command.
#pragma once

#include <string>
#include <vector>

namespace sysbench {

struct RunConfig {
  std::string format = "text";
  std::string output;   // empty: stdout
  int repetitions = 0;  // 0: default (10, or 3 with --quick)
  double min_time = 0;  // seconds per batch; 0: default (0.1, or 0.01 with --quick)
  double warmup = -1;   // seconds; < 0: default (0.1, or 0.02 with --quick)
  bool quick = false;
  bool quiet = false;
  std::vector<int> cpus;     // CPUs to pin workers to, in order; empty: the allowed CPUs
  std::vector<int> threads;  // thread counts asked for; empty: the command's default
  std::vector<std::string> argv;

  // Whether the user gave the option (what a command's own timing defaults must not override).
  bool RepetitionsSet() const { return repetitions > 0; }
  bool MinTimeSet() const { return min_time > 0; }
  bool WarmupSet() const { return warmup >= 0; }

  int Repetitions() const { return RepetitionsSet() ? repetitions : (quick ? 3 : 10); }
  double MinTime() const { return MinTimeSet() ? min_time : (quick ? 0.01 : 0.1); }
  double Warmup() const { return WarmupSet() ? warmup : (quick ? 0.02 : 0.1); }
};

}  // namespace sysbench
