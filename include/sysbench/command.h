// One subcommand: its options, and a Run that turns measurements into Result records.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "sysbench/chart_spec.h"
#include "sysbench/config.h"
#include "sysbench/notes.h"
#include "sysbench/result.h"
#include "sysbench/runner.h"

namespace CLI {
class App;
}

namespace sysbench {

struct RunContextInfo;

// Where results go: to the reporter as they finish (jsonl streams) and kept for the caller.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  virtual void Emit(Result result) = 0;
};

// What a command may use while it runs: the options, notes on stderr, a runner.
struct RunContext {
  const RunConfig& config;
  Notes& notes;
  // A command sets 1 here to report "a comparison found a regression" (the only non-error exit).
  mutable int exit_code = 0;
  // The global timing options, with the command's own defaults where the user gave none.
  TimingOptions Timing(const TimingDefaults& defaults = {}) const;
  Runner MakeRunner(const TimingDefaults& defaults = {}) const;
};

class Command {
 public:
  virtual ~Command() = default;
  virtual std::string_view Name() const = 0;
  virtual std::string_view Summary() const = 0;
  // Binds options to members; values are checked in Run (or by CLI11 validators).
  virtual void AddOptions(CLI::App& sub) = 0;
  // Throws UsageError for bad option values before measuring anything.
  virtual void Run(const RunContext& context, ResultSink& sink) = 0;
  // The charts the html report draws for this command's results (sampled metrics without one get
  // a plain bar chart anyway).
  virtual std::vector<ChartSpec> Charts() const { return {}; }
  // The headline metrics `compare` gates by default (docs/ci.md): one row each, the geometric
  // mean of the metric over this command's cases.
  virtual std::vector<std::string> GateMetrics() const { return {}; }
  // Adds what the run's context must say about devices beyond the CPU this command will use (the
  // GPUs), after the options are parsed and before the run starts.
  virtual void AddContext(RunContextInfo& /*context*/) const {}
};

// Every subcommand, in --list order (an explicit list in src/commands/registry.cc).
std::vector<std::unique_ptr<Command>> MakeCommands();

}  // namespace sysbench
