// `sysbench all`: every measuring subcommand with its defaults, in one process and one context.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/compare.h"
#include "sysbench/command.h"
#include "sysbench/config.h"

namespace sysbench {

struct SuiteOptions {
  std::string only, skip;  // comma-separated subcommand names
  int runs = 1;            // the whole selection this many times, interleaved, as runs 1..N
  std::string baseline;    // compare against these runs (json document or folder) afterwards
  std::string save;        // with --baseline: also write this run as json here
  std::string summary;     // with --baseline: append the markdown job summary to this file
  std::string threshold = "5%";
  std::string gate = "headline";
  double alpha = 0.05;
  bool strict_env = false;
};

// With runs > 1 the selection runs N times over (all commands, then all again), each result
// tagged with its run, so one json document holds N independent runs: a baseline for the gate.
// Exit code: 2 when any subcommand failed (each failure is one stderr line; the others still run
// and their results are written), else 1 when --baseline found a regression, else 0.
int RunSuite(const SuiteOptions& options, const RunConfig& config, std::ostream& out,
             std::ostream& err, bool progress);

// The same over a given list of commands instead of the registry's (for tests).
int RunSuiteOf(std::vector<std::unique_ptr<Command>> registry, const SuiteOptions& options,
               const RunConfig& config, std::ostream& out, std::ostream& err, bool progress);

}  // namespace sysbench
