#include "cli/fleet.h"

#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/compare.h"
#include "cli/fleet_document.h"
#include "cli/fleet_report.h"
#include "cli/output_file.h"
#include "cli/run_support.h"
#include "sysbench/cli.h"
#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

void AddRuleOptions(CLI::App& sub, FleetOptions& options) {
  sub.add_option("--z-limit", options.z_limit,
                 "Robust z-score (0.6745 * (x - median) / MAD) beyond which a node is an "
                 "outlier (default 3.5)");
  sub.add_option("--min-deviation", options.min_deviation,
                 "An outlier also lies at least this far from the median (default 5%)");
  sub.add_flag("--fail-on-outlier", options.fail_on_outlier,
               "Exit 1 when any node is an outlier (for CI and health checks)");
}

OutlierRule ParseRule(const FleetOptions& options) {
  OutlierRule rule;
  rule.z_limit = ParseThreshold(options.z_limit, "--z-limit");
  if (rule.z_limit <= 0) throw UsageError("--z-limit '" + options.z_limit + "' must be above 0");
  rule.min_deviation_pct = ParseThreshold(options.min_deviation, "--min-deviation");
  return rule;
}

fleet::Fleet LoadFleet(const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (inputs.size() == 1 && !std::filesystem::is_directory(inputs[0], ec) &&
      IsFleetFile(inputs[0])) {
    return fleet::ParseFleet(fleet::ReadDocumentText(inputs[0]), inputs[0]);
  }
  return fleet::MergeFiles(fleet::ExpandInputs(inputs));
}

}  // namespace

CLI::App* AddFleet(CLI::App& app, FleetOptions& options) {
  CLI::App* sub = app.add_subcommand(
      "fleet", "Many nodes' json runs: merge them into one document, report the odd nodes");
  sub->fallthrough();
  sub->require_subcommand(1, 1);
  options.merge = sub->add_subcommand(
      "merge", "One fleet document from json runs or folders of them (every shard once)");
  options.merge->fallthrough();
  options.merge->add_option("inputs", options.merge_inputs, "json runs, or folders of them")
      ->required();
  options.report = sub->add_subcommand(
      "report", "Per headline metric: spread across nodes, deviations, robust outliers");
  options.report->fallthrough();
  options.report
      ->add_option("inputs", options.report_inputs,
                   "A fleet document, or json runs / folders to merge first")
      ->required();
  AddRuleOptions(*options.report, options);
  return sub;
}

bool IsFleetFile(const std::string& path) {
  return fleet::IsFleetText(fleet::ReadDocumentText(path));
}

int RunFleetReport(const std::vector<std::string>& inputs, const FleetOptions& options,
                   const RunConfig& config, std::ostream& out) {
  const OutlierRule rule = ParseRule(options);
  const fleet::Fleet fleet = LoadFleet(inputs);
  const fleet::FleetReport report = fleet::BuildFleetReport(fleet, rule);
  DataOutput data(config.output, out);
  std::unique_ptr<Reporter> reporter = MakeReporter(config.format, data.Stream());
  reporter->Begin(report.context);
  for (const Result& r : report.results) reporter->Report(r);
  reporter->End();
  data.Commit();
  return options.fail_on_outlier && report.outliers > 0 ? kExitRegression : kExitOk;
}

int RunFleet(const FleetOptions& options, RunConfig& config, bool format_given, std::ostream& out) {
  if (options.merge->parsed()) {
    if (format_given && config.format != "json") {
      throw UsageError("--format '" + config.format + "': fleet merge writes json only");
    }
    const fleet::Fleet fleet = fleet::MergeFiles(fleet::ExpandInputs(options.merge_inputs));
    DataOutput data(config.output, out);
    fleet::WriteFleet(fleet, data.Stream());
    data.Commit();
    return kExitOk;
  }
  return RunFleetReport(options.report_inputs, options, config, out);
}

}  // namespace sysbench
