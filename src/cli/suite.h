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
  std::string baseline;    // compare against this json document after the run
  std::string save;        // with --baseline: also write this run as json here
  std::string threshold = "5%";
  double alpha = 0.05;
  bool strict_env = false;
};

// Exit code: 2 when any subcommand failed (each failure is one stderr line; the others still run
// and their results are written), else 1 when --baseline found a regression, else 0.
int RunSuite(const SuiteOptions& options, const RunConfig& config, std::ostream& out,
             std::ostream& err, bool progress);

// The same over a given list of commands instead of the registry's (for tests).
int RunSuiteOf(std::vector<std::unique_ptr<Command>> registry, const SuiteOptions& options,
               const RunConfig& config, std::ostream& out, std::ostream& err, bool progress);

}  // namespace sysbench
