// `sysbench fleet merge|report`: many nodes' json runs in one document, and the report that finds
// the odd nodes.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "sysbench/config.h"

namespace CLI {
class App;
}

namespace sysbench {

struct FleetOptions {
  std::vector<std::string> merge_inputs, report_inputs;
  std::string z_limit = "3.5", min_deviation = "5%";
  bool fail_on_outlier = false;
  CLI::App* merge = nullptr;
  CLI::App* report = nullptr;
};

CLI::App* AddFleet(CLI::App& app, FleetOptions& options);
// format_given: the user chose --format (fleet report defaults to text).
int RunFleet(const FleetOptions& options, RunConfig& config, bool format_given, std::ostream& out);
// Whether `sysbench report PATH` is given a fleet document (then RunFleetReport renders it).
bool IsFleetFile(const std::string& path);
int RunFleetReport(const std::vector<std::string>& inputs, const FleetOptions& options,
                   const RunConfig& config, std::ostream& out);

}  // namespace sysbench
