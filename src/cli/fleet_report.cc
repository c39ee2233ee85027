#include "cli/fleet_report.h"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <tuple>

#include "sysbench/version.h"

namespace sysbench::fleet {
namespace {

constexpr int kStripWidth = 32;

struct Headline {
  std::string command, case_id, metric, unit;
  Better better = Better::kNone;
};

struct NodeValue {
  std::size_t member;
  double value;
};

std::string ParamOf(const Result& r, const std::string& key) {
  for (const auto& [k, v] : r.params) {
    if (k == key) return v;
  }
  return "";
}

// Headline metrics of the group's members, in order of first appearance, with every value.
std::vector<std::pair<Headline, std::vector<NodeValue>>> CollectHeadlines(
    const Fleet& fleet, const std::vector<std::size_t>& members) {
  std::vector<std::pair<Headline, std::vector<NodeValue>>> out;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t> index;
  for (std::size_t m : members) {
    for (const Result& r : fleet.members[m].results) {
      // Pair results (net pairs) belong to a link, not a node: see PairMatrix.
      if (r.skipped || r.samples_metric.empty() || !ParamOf(r, "from").empty()) continue;
      const Metric* metric = r.Find(r.samples_metric);
      if (metric == nullptr || !std::isfinite(AsDouble(metric->value))) continue;
      const auto key = std::make_tuple(r.command, r.case_id, metric->name);
      auto [it, fresh] = index.emplace(key, out.size());
      if (fresh) {
        out.push_back(
            {Headline{r.command, r.case_id, metric->name, metric->unit, metric->better}, {}});
      }
      out[it->second].second.push_back({m, AsDouble(metric->value)});
    }
  }
  return out;
}

std::string Direction(double deviation_pct, Better better) {
  if (better == Better::kNone) return deviation_pct < 0 ? "low" : "high";
  const bool worse = better == Better::kHigher ? deviation_pct < 0 : deviation_pct > 0;
  return worse ? "worse" : "better";
}

// `net pairs` results of every member: one row per case x headline metric, one metric per pair
// ("0->1"), so the long form holds the all-pairs matrix. Rank labels are the shard indices.
std::vector<Result> PairMatrix(const Fleet& fleet) {
  std::vector<Result> rows;
  std::map<std::string, std::size_t> index;
  for (const report::ResultsDocument& d : fleet.members) {
    for (const Result& r : d.results) {
      const std::string from = ParamOf(r, "from"), to = ParamOf(r, "to");
      if (r.command != "net" || from.empty() || to.empty()) continue;
      const std::string pair = fmt::format("{}->{}", from, to);
      const std::size_t slash = r.case_id.find('/');
      if (r.skipped || slash == std::string::npos) {
        auto [it, fresh] = index.emplace("failed", rows.size());
        if (fresh) rows.emplace_back("fleet-net", "failed");
        rows[it->second].Add(Computed(pair, r.skipped.value_or("no result")));
        continue;
      }
      const Metric* metric = r.Find(r.samples_metric);
      if (metric == nullptr) continue;
      const std::string id = r.case_id.substr(slash + 1) + "/" + metric->name;
      auto [it, fresh] = index.emplace(id, rows.size());
      if (fresh) rows.emplace_back("fleet-net", id);
      rows[it->second].Add(Measured(pair, metric->value, metric->unit, metric->better));
    }
  }
  return rows;
}

}  // namespace

std::string StripChart(const std::vector<double>& values, const std::vector<bool>& outlier,
                       double median, int width) {
  std::string strip(static_cast<std::size_t>(width), '.');
  if (values.empty() || width < 1) return strip;
  double lo = values[0], hi = values[0];
  for (double v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  const auto cell = [&](double v) {
    if (hi == lo) return static_cast<std::size_t>(width / 2);
    return static_cast<std::size_t>(std::lround((v - lo) / (hi - lo) * (width - 1)));
  };
  strip[cell(median)] = '|';
  for (std::size_t i = 0; i < values.size(); ++i) {
    char& c = strip[cell(values[i])];
    if (outlier[i]) {
      c = 'X';
    } else if (c != 'X') {
      c = 'o';
    }
  }
  return strip;
}

FleetReport BuildFleetReport(const Fleet& fleet, const OutlierRule& rule) {
  FleetReport report;
  std::vector<std::string> groups;
  std::vector<std::vector<std::size_t>> group_members;
  for (std::size_t m = 0; m < fleet.members.size(); ++m) {
    const std::string key = GroupKey(fleet.members[m].context);
    std::size_t g = 0;
    while (g < groups.size() && groups[g] != key) ++g;
    if (g == groups.size()) {
      groups.push_back(key);
      group_members.emplace_back();
    }
    group_members[g].push_back(m);
  }

  RunContextInfo& c = report.context;
  c.version = Version();
  c.build_type = BuildType();
  c.optimized = OptimizedBuild();
  c.hostname = fmt::format("fleet of {} documents", fleet.members.size());
  if (groups.size() == 1) c.cpu_model = fleet.members[0].context.cpu_model;
  c.shard.node = c.hostname;

  Result rule_row("fleet", "rule");
  rule_row.Add(Computed("rule", DescribeRule(rule)));
  rule_row.Add(Computed("nodes", std::uint64_t{fleet.members.size()}));
  rule_row.Add(Computed("groups", std::uint64_t{groups.size()}));
  report.results.push_back(rule_row);

  std::vector<int> flagged(fleet.members.size(), 0);
  std::vector<double> worst(fleet.members.size(), 0);
  std::vector<int> headlines(fleet.members.size(), 0);
  std::vector<Result> node_rows;
  for (std::size_t g = 0; g < groups.size(); ++g) {
    const std::string group = fmt::format("g{}", g + 1);
    Result group_row("fleet", "group/" + group);
    group_row.Param("group", group);
    group_row.Add(Computed("machine", groups[g]));
    std::vector<std::string> labels;
    for (std::size_t m : group_members[g]) labels.push_back(MemberLabel(fleet.members[m].context));
    group_row.Add(Computed("members", fmt::format("{}", fmt::join(labels, " "))));
    report.results.push_back(group_row);

    for (const auto& [head, node_values] : CollectHeadlines(fleet, group_members[g])) {
      std::vector<double> values;
      for (const NodeValue& nv : node_values) values.push_back(nv.value);
      const RobustSpread s = Spread(values);
      const std::vector<OutlierVerdict> verdicts = FindOutliers(values, rule);
      std::vector<bool> is_outlier;
      std::uint64_t outliers = 0;
      for (const OutlierVerdict& v : verdicts) {
        is_outlier.push_back(v.outlier);
        outliers += v.outlier;
      }
      const std::string id =
          fmt::format("{}/{}/{}/{}", group, head.command, head.case_id, head.metric);
      Result dist("fleet-metric", id);
      dist.Param("group", group).Param("of", head.command).Param("case", head.case_id);
      dist.Param("metric", head.metric);
      dist.Add(Computed("nodes", std::uint64_t{s.n}));
      dist.Add(Computed("median", s.median, head.unit, head.better));
      dist.Add(Computed("mad", s.mad, head.unit, Better::kLower));
      dist.Add(Computed("min", s.min, head.unit, head.better));
      dist.Add(Computed("max", s.max, head.unit, head.better));
      dist.Add(Computed("outliers", outliers, "", Better::kLower));
      dist.Add(Computed("strip", StripChart(values, is_outlier, s.median, kStripWidth)));
      report.results.push_back(dist);
      report.outliers += static_cast<int>(outliers);

      for (std::size_t i = 0; i < node_values.size(); ++i) {
        const std::size_t m = node_values[i].member;
        const OutlierVerdict& v = verdicts[i];
        const std::string label = MemberLabel(fleet.members[m].context);
        Result node("fleet-node", id + "@" + label);
        node.Param("group", group).Param("node", label).Param("of", head.command);
        node.Param("case", head.case_id).Param("metric", head.metric);
        node.Add(Measured("value", values[i], head.unit, head.better));
        // Same direction as the metric: a negative deviation of a higher-is-better rate is worse.
        node.Add(Computed("deviation_pct", v.deviation_pct, "%", head.better));
        node.Add(Computed("robust_z", v.z, "", head.better));
        node.Add(Computed("outlier", v.outlier ? Direction(v.deviation_pct, head.better) : "no"));
        node_rows.push_back(node);
        ++headlines[m];
        flagged[m] += v.outlier;
        if (std::fabs(v.deviation_pct) > std::fabs(worst[m])) worst[m] = v.deviation_pct;
      }
    }
  }
  report.results.insert(report.results.end(), node_rows.begin(), node_rows.end());
  for (Result& row : PairMatrix(fleet)) report.results.push_back(std::move(row));
  for (std::size_t m = 0; m < fleet.members.size(); ++m) {
    const RunContextInfo& mc = fleet.members[m].context;
    std::size_t g = 0;
    while (groups[g] != GroupKey(mc)) ++g;
    Result health("fleet-health", MemberLabel(mc));
    health.Param("group", fmt::format("g{}", g + 1)).Param("source", fleet.members[m].path);
    health.Add(Computed("headline_metrics", static_cast<std::uint64_t>(headlines[m])));
    health.Add(Computed("outliers", static_cast<std::uint64_t>(flagged[m]), "", Better::kLower));
    // Shown to 0.1%: a deviation between measured values is not exact.
    health.Add(Computed("worst_deviation_pct", std::round(worst[m] * 10) / 10, "%"));
    health.Add(Computed("verdict", flagged[m] > 0 ? "suspect" : "ok"));
    report.results.push_back(health);
  }
  return report;
}

}  // namespace sysbench::fleet
