// Reporters turn results into one output format. They never measure.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "sysbench/result.h"
#include "sysbench/shard.h"

namespace sysbench {

// Facts about the run, printed once (in the JSON document's "context").
struct RunContextInfo {
  std::string version;
  std::string build_type;  // "Release", "Debug", ...
  bool optimized = true;
  std::vector<std::string> argv;
  std::string time_utc;  // ISO 8601
  std::string hostname, kernel, cpu_vendor, cpu_model, virtualization, governor;
  std::vector<std::string> isa_extensions;
  std::vector<std::string> caches;  // "L1d 48 KiB line 64 ways 12 shared 0"
  std::vector<std::string> gpus;    // one line per GPU a command uses (empty: none asked for)
  int logical_cpus = 0, physical_cores = 0;
  double measured_clock_ghz = 0;  // 0 when not measured in this run
  double load_avg_1min = 0;
  std::vector<std::string> warnings;
  ShardInfo shard;  // which task of a multi-node run (launcher "none" when run alone)
};

class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void Begin(const RunContextInfo& /*context*/) {}
  virtual void Report(const Result& result) = 0;
  virtual void End() {}
};

// The names --format accepts, in the order --help lists them.
const std::vector<std::string>& ReporterFormats();
// Throws UsageError for an unknown format.
std::unique_ptr<Reporter> MakeReporter(const std::string& format, std::ostream& out);

}  // namespace sysbench
