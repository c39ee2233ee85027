// The fleet report: per headline metric, the distribution across nodes, each node's deviation from
// the group median, and robust outliers, as plain results every reporter can render.
#pragma once

#include <vector>

#include "cli/fleet_document.h"
#include "sysbench/outliers.h"
#include "sysbench/reporter.h"

namespace sysbench::fleet {

struct FleetReport {
  RunContextInfo context;
  std::vector<Result> results;
  int outliers = 0;  // node x metric verdicts flagged
};

// The headline metric of a result is the one its samples were taken of (samples_metric).
// Rows: "fleet" (the rule and the groups), "fleet-metric" (one per group x headline metric),
// "fleet-node" (one per node x headline metric), "fleet-net" (the all-pairs matrix of `net pairs`
// results: one row per case, one metric per pair "from->to") and "fleet-health" (one per node).
FleetReport BuildFleetReport(const Fleet& fleet, const OutlierRule& rule);

// A one-line strip chart of `values` between their min and max: 'o' a node, 'X' an outlier, '|'
// the median where no node sits; `width` cells.
std::string StripChart(const std::vector<double>& values, const std::vector<bool>& outlier,
                       double median, int width);

}  // namespace sysbench::fleet
