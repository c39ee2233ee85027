#include "cli/compare.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>

#include "sysbench/cli.h"
#include "sysbench/command.h"
#include "sysbench/error.h"
#include "sysbench/run_stats.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

bool Comparable(const Metric& metric) {
  if (std::holds_alternative<std::string>(metric.value)) return false;
  if (!std::isfinite(AsDouble(metric.value))) return false;
  return metric.better != Better::kNone || metric.source == Source::kMeasured;
}

std::string Key(const std::string& command, const std::string& case_id,
                const std::string& metric = "") {
  return command + '\x1f' + case_id + '\x1f' + metric;
}

// One command + case + metric: its value in each run of either side.
struct Series {
  std::string command, case_id, metric, unit;
  Better better = Better::kNone;
  std::vector<double> baseline, current;
  std::vector<std::size_t> baseline_runs, current_runs;  // the run each value comes from
  bool contended = false;
};

// Cycle-normalised figures computed from a case's sampled metric (value = sampled / clock or
// sampled x clock), so they move with it.
bool FollowsSamples(const std::string& command, const std::string& metric) {
  return (command == "flops" && metric == "flop_per_cycle") ||
         (command == "latency" && metric == "cycles_per_load");
}

// Per run the gate takes each case's least disturbed sample of its sampled metric (other load only
// ever slows a sample down; a real regression slows them all): the best one, with the median it
// replaces (both 0 when the case has no sampled metric with a direction).
struct BestSample {
  double best = 0, median = 0;
};
BestSample BestOf(const Result& r) {
  const Metric* sampled = r.Find(r.samples_metric);
  if (sampled == nullptr || r.samples.empty() || sampled->better == Better::kNone) return {};
  const auto [low, high] = std::minmax_element(r.samples.begin(), r.samples.end());
  return {sampled->better == Better::kHigher ? *high : *low, Median(r.samples)};
}

// A metric's value in one run, as the gate counts it.
double GateValue(const Result& r, const Metric& m, const BestSample& sample) {
  const double value = AsDouble(m.value);
  if (sample.median <= 0 || sample.best <= 0) return value;
  if (m.name == r.samples_metric) return sample.best;
  if (FollowsSamples(r.command, m.name)) return value * sample.best / sample.median;
  return value;
}

class SeriesTable {
 public:
  void Add(const std::vector<Result>& run, std::size_t index, bool is_baseline) {
    for (const Result& r : run) {
      (is_baseline ? baseline_cases_ : current_cases_).insert(Key(r.command, r.case_id));
      if (r.skipped) continue;
      const BestSample sample = BestOf(r);
      for (const Metric& m : r.metrics) {
        if (!Comparable(m)) continue;
        Series& s = Get(r.command, r.case_id, m.name);
        if (s.unit.empty()) s.unit = m.unit;
        if (s.better == Better::kNone) s.better = m.better;
        (is_baseline ? s.baseline : s.current).push_back(GateValue(r, m, sample));
        (is_baseline ? s.baseline_runs : s.current_runs).push_back(index);
        if (!is_baseline && r.Contended()) s.contended = true;
      }
    }
  }
  const std::vector<Series>& All() const { return series_; }
  std::size_t OnlyInBaseline() const { return CountMissing(baseline_cases_, current_cases_); }
  std::size_t OnlyInCurrent() const { return CountMissing(current_cases_, baseline_cases_); }

 private:
  Series& Get(const std::string& command, const std::string& case_id, const std::string& metric) {
    const auto [it, added] = index_.emplace(Key(command, case_id, metric), series_.size());
    if (added) {
      series_.emplace_back();
      series_.back().command = command;
      series_.back().case_id = case_id;
      series_.back().metric = metric;
    }
    return series_[it->second];
  }
  static std::size_t CountMissing(const std::set<std::string>& from,
                                  const std::set<std::string>& in) {
    return static_cast<std::size_t>(
        std::count_if(from.begin(), from.end(), [&](const auto& k) { return !in.count(k); }));
  }

  std::map<std::string, std::size_t> index_;
  std::vector<Series> series_;
  std::set<std::string> baseline_cases_, current_cases_;
};

// Relative to the first value, so equal values give that value exactly.
double GeometricMean(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values) sum += std::log(v / values.front());
  return values.front() * std::exp(sum / static_cast<double>(values.size()));
}

bool AllPositive(const std::vector<double>& values) {
  return std::all_of(values.begin(), values.end(), [](double v) { return v > 0; });
}

// The headline row of command:metric: per run, the geometric mean over the cases present in every
// run that has the metric, on both sides (so each run averages the same cases). Runs may hold only
// some commands (a folder of per-command documents).
std::optional<Series> Headline(const std::vector<Series>& all, const std::string& command,
                               const std::string& metric, std::size_t& cases) {
  std::set<std::size_t> baseline_runs, current_runs;
  for (const Series& s : all) {
    if (s.command != command || s.metric != metric) continue;
    baseline_runs.insert(s.baseline_runs.begin(), s.baseline_runs.end());
    current_runs.insert(s.current_runs.begin(), s.current_runs.end());
  }
  if (baseline_runs.empty() || current_runs.empty()) return std::nullopt;
  const std::vector<std::size_t> every_baseline(baseline_runs.begin(), baseline_runs.end());
  const std::vector<std::size_t> every_current(current_runs.begin(), current_runs.end());
  std::vector<const Series*> members;
  for (const Series& s : all) {
    if (s.command == command && s.metric == metric && s.baseline_runs == every_baseline &&
        s.current_runs == every_current && AllPositive(s.baseline) && AllPositive(s.current)) {
      members.push_back(&s);
    }
  }
  cases = members.size();
  if (members.empty()) return std::nullopt;
  Series h;
  h.command = command;
  h.metric = metric;
  h.unit = members.front()->unit;
  h.better = members.front()->better;
  auto per_run = [&](std::size_t run, bool baseline) {
    std::vector<double> values;
    for (const Series* s : members) values.push_back((baseline ? s->baseline : s->current)[run]);
    return GeometricMean(values);
  };
  for (std::size_t i = 0; i < every_baseline.size(); ++i) h.baseline.push_back(per_run(i, true));
  for (std::size_t i = 0; i < every_current.size(); ++i) h.current.push_back(per_run(i, false));
  for (const Series* s : members) h.contended = h.contended || s->contended;
  return h;
}

std::vector<std::string> GateItems(const std::string& gate) {
  if (gate == "headline" || gate == "all") return {};
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= gate.size()) {
    const std::size_t comma = std::min(gate.find(',', start), gate.size());
    items.push_back(gate.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

bool GatedCase(const Series& s, const std::string& gate, const std::vector<std::string>& items) {
  if (gate == "all") return true;
  for (const std::string& item : items) {
    if (item == s.command || item == s.command + ":" + s.metric) return true;
  }
  return false;
}

// Holm over the tested rows of one family (gated or not), then each row's verdict.
void Decide(std::vector<ComparisonRow>& rows, bool gated_family, const CompareOptions& options) {
  std::vector<ComparisonRow*> family;
  std::vector<double> p;
  for (ComparisonRow& r : rows) {
    if (r.gated == gated_family && r.p_value) {
      family.push_back(&r);
      p.push_back(*r.p_value);
    }
  }
  const std::vector<double> adjusted = HolmAdjust(p);
  for (std::size_t i = 0; i < family.size(); ++i) family[i]->adjusted_p = adjusted[i];
  for (ComparisonRow& r : rows) {
    if (r.gated != gated_family) continue;
    const double worse_pct = r.better == Better::kHigher ? -r.change_pct : r.change_pct;
    if (r.better == Better::kNone) {
      r.verdict = Verdict::kNoDirection;
    } else if (std::fabs(r.change_pct) <= options.threshold_pct) {
      r.verdict = Verdict::kSame;
    } else if (!r.adjusted_p) {
      r.verdict = Verdict::kUntested;
    } else if (*r.adjusted_p >= options.alpha) {
      r.verdict = Verdict::kNotSignificant;
    } else {
      r.verdict = worse_pct > 0 ? Verdict::kRegressed : Verdict::kImproved;
    }
  }
}

// The headline rows first, then every command + case + metric that both sides hold.
std::vector<Series> RowSeries(const SeriesTable& table, std::vector<bool>& headline) {
  std::vector<Series> series;
  for (const std::string& item : HeadlineMetrics()) {
    const std::size_t colon = item.find(':');
    std::size_t cases = 0;
    if (auto h = Headline(table.All(), item.substr(0, colon), item.substr(colon + 1), cases)) {
      h->case_id = "geomean of " + std::to_string(cases) + " case" + (cases == 1 ? "" : "s");
      series.push_back(std::move(*h));
      headline.push_back(true);
    }
  }
  for (const Series& s : table.All()) {
    if (s.baseline.empty() || s.current.empty()) continue;
    series.push_back(s);
    headline.push_back(false);
  }
  return series;
}

// The test between runs; the detectable change uses the strictest level Holm can ask of a row of
// its family (alpha / rows in the family).
void TestRow(const Series& s, double mde_alpha, double power, ComparisonRow& row) {
  const RunTest test = CompareRuns(s.baseline, s.current, mde_alpha, power);
  if (test.tested) {
    row.baseline = GeometricMean(s.baseline);
    row.current = GeometricMean(s.current);
    row.change_pct = test.change_pct;
    row.p_value = test.p_value;
    row.noise_pct = test.noise_pct;
    row.mde_pct = test.mde_pct;
    return;
  }
  row.baseline = Mean(s.baseline);
  row.current = Mean(s.current);
  row.change_pct = row.baseline == row.current || row.baseline == 0
                       ? 0
                       : 100 * (row.current - row.baseline) / std::fabs(row.baseline);
}

}  // namespace

const char* ToString(Verdict verdict) {
  switch (verdict) {
    case Verdict::kRegressed:
      return "regressed";
    case Verdict::kImproved:
      return "improved";
    case Verdict::kSame:
      return "same";
    case Verdict::kNotSignificant:
      return "not-significant";
    case Verdict::kUntested:
      return "untested";
    case Verdict::kNoDirection:
      return "no-direction";
  }
  return "";
}

std::size_t Comparison::Count(Verdict verdict, bool gated_only) const {
  return static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [&](const auto& r) {
    return r.verdict == verdict && (r.gated || !gated_only);
  }));
}

std::size_t Comparison::GatedCount() const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [](const auto& r) { return r.gated; }));
}

double ParseThreshold(const std::string& text, const std::string& option) {
  std::string number = text;
  if (!number.empty() && number.back() == '%') number.pop_back();
  const std::string message =
      option + " '" + text + "': must be a percentage from 0 to 1000, e.g. 5%";
  if (number.empty() || number.find_first_not_of("0123456789.") != std::string::npos) {
    throw UsageError(message);
  }
  try {
    std::size_t used = 0;
    const double value = std::stod(number, &used);
    if (used != number.size() || !(value >= 0 && value <= 1000)) throw UsageError(message);
    return value;
  } catch (const std::logic_error&) {
    throw UsageError(message);
  }
}

const std::vector<std::string>& HeadlineMetrics() {
  static const std::vector<std::string> metrics = [] {
    std::vector<std::string> all;
    for (const auto& command : MakeCommands()) {
      for (const std::string& metric : command->GateMetrics()) {
        all.push_back(std::string(command->Name()) + ":" + metric);
      }
    }
    return all;
  }();
  return metrics;
}

void CheckGate(const std::string& gate, const std::string& option) {
  for (const std::string& item : GateItems(gate)) {
    const bool ok = !item.empty() &&
                    item.find_first_not_of(
                        "abcdefghijklmnopqrstuvwxyz0123456789_"
                        "-:") == std::string::npos &&
                    item.find(':') == item.rfind(':') && item.front() != ':' && item.back() != ':';
    if (!ok) {
      throw UsageError(option + " '" + gate + "': item '" + item +
                       "' is not a command or command:metric (or use 'headline' or 'all')");
    }
  }
}

std::vector<std::string> EnvironmentDifferences(const RunContextInfo& a, const RunContextInfo& b) {
  std::vector<std::string> diffs;
  auto text = [&](const char* what, const std::string& x, const std::string& y) {
    if (x != y) diffs.push_back(std::string(what) + " '" + x + "' vs '" + y + "'");
  };
  text("CPU", a.cpu_model, b.cpu_model);
  if (a.measured_clock_ghz > 0 && b.measured_clock_ghz > 0 &&
      std::fabs(b.measured_clock_ghz - a.measured_clock_ghz) / a.measured_clock_ghz > 0.05) {
    diffs.push_back("measured clock " + FormatHuman(a.measured_clock_ghz) + " vs " +
                    FormatHuman(b.measured_clock_ghz) + " GHz");
  }
  text("build type", a.build_type, b.build_type);
  text("sysbench version", a.version, b.version);
  return diffs;
}

Comparison Compare(const RunSet& baseline, const RunSet& current, const CompareOptions& options) {
  Comparison c;
  c.baseline_label = baseline.label;
  c.current_label = current.label;
  c.baseline_runs = baseline.runs.size();
  c.current_runs = current.runs.size();
  c.options = options;
  c.environment_differences = EnvironmentDifferences(baseline.context, current.context);
  SeriesTable table;
  for (std::size_t i = 0; i < baseline.runs.size(); ++i) table.Add(baseline.runs[i], i, true);
  for (std::size_t i = 0; i < current.runs.size(); ++i) table.Add(current.runs[i], i, false);
  c.only_in_baseline = table.OnlyInBaseline();
  c.only_in_current = table.OnlyInCurrent();

  std::vector<bool> headline;
  const std::vector<Series> series = RowSeries(table, headline);
  const std::vector<std::string> items = GateItems(options.gate);
  for (std::size_t i = 0; i < series.size(); ++i) {
    const Series& s = series[i];
    ComparisonRow row;
    row.command = s.command;
    row.case_id = s.case_id;
    row.metric = s.metric;
    row.unit = s.unit;
    row.better = s.better;
    row.headline = headline[i];
    row.gated = s.better != Better::kNone && (row.headline || GatedCase(s, options.gate, items));
    row.n_baseline = s.baseline.size();
    row.n_current = s.current.size();
    row.contended = s.contended;
    c.rows.push_back(std::move(row));
  }
  const std::size_t gated = c.GatedCount();
  const std::size_t others = c.rows.size() - gated;
  for (std::size_t i = 0; i < series.size(); ++i) {
    const double family = static_cast<double>(c.rows[i].gated ? gated : others);
    TestRow(series[i], options.alpha / family, options.power, c.rows[i]);
  }
  Decide(c.rows, true, options);
  Decide(c.rows, false, options);
  return c;
}

const std::vector<std::string>& ComparisonFormats() {
  static const std::vector<std::string> formats = {"text", "tsv",   "csv",
                                                   "json", "jsonl", "markdown"};
  return formats;
}

void CheckComparisonFormat(const std::string& format) {
  const auto& formats = ComparisonFormats();
  if (std::find(formats.begin(), formats.end(), format) == formats.end()) {
    throw UsageError("--format '" + format +
                     "' cannot show a comparison; use one of: " + Join(formats, ", "));
  }
}

void CheckAppendable(const std::string& path, const std::string& option) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path file(path);
  const bool exists = fs::exists(file, ec);
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  const char* why = nullptr;
  if (exists && fs::is_directory(file, ec)) {
    why = "it is a folder";
  } else if (exists && access(path.c_str(), W_OK) != 0) {
    why = "it is not writable";
  } else if (!exists && (!fs::is_directory(folder, ec) || access(folder.c_str(), W_OK) != 0)) {
    why = "its folder does not exist or is not writable";
  }
  if (why != nullptr) throw UsageError(option + " '" + path + "': cannot append to it: " + why);
}

int FinishComparison(const RunSet& baseline, const RunSet& current, const CompareOptions& options,
                     const std::string& format, const std::string& summary_path, std::ostream& out,
                     Notes& notes, std::ostream& err) {
  if (baseline.runs.size() < 2) {
    throw UsageError("'" + baseline.label +
                     "' holds one run: the gate needs the spread between runs; record the "
                     "baseline with 'sysbench --format json -o FILE all --runs 5' or give a "
                     "folder of runs");
  }
  Comparison c = Compare(baseline, current, options);
  if (!c.environment_differences.empty()) {
    const std::string text =
        "the runs' environments differ: " + Join(c.environment_differences, "; ");
    if (options.strict_env) throw UsageError(text + " (--strict-env)");
    notes.Warn(text + "; their numbers may not be comparable");
  }
  if (c.rows.empty()) {
    throw UsageError("'" + baseline.label + "' and '" + current.label +
                     "' have no results in common (matched by command, case and metric)");
  }
  std::unique_ptr<std::ofstream> summary;
  if (!summary_path.empty()) {
    CheckAppendable(summary_path, "--summary");
    summary = std::make_unique<std::ofstream>(summary_path, std::ios::app);
    if (!*summary) throw UsageError("--summary '" + summary_path + "': cannot append to it");
  }
  std::vector<std::string> contended;
  for (const ComparisonRow& r : c.rows) {
    if (r.gated && r.contended && r.verdict == Verdict::kRegressed) {
      contended.push_back(r.command + " " + r.metric);
    }
  }
  if (!contended.empty()) {
    notes.Warn("other load ran beside the current run of " + Join(contended, ", ") +
               " (see 'contention' in its json): the regression may be the neighbour's");
  }
  notes.Flush();
  WriteComparison(c, format, out);
  if (summary) {
    WriteJobSummary(c, *summary);
    summary->flush();
  }
  const std::size_t regressed = c.Count(Verdict::kRegressed, true);
  if (regressed == 0) return kExitOk;
  std::vector<std::string> names;
  for (const ComparisonRow& r : c.rows) {
    if (r.gated && r.verdict == Verdict::kRegressed) {
      char change[32];
      std::snprintf(change, sizeof change, "%+.1f%%", r.change_pct);
      names.push_back(r.command + " " + r.case_id + " " + r.metric + " " + change);
    }
  }
  err << "sysbench: compare: " << regressed << " regressed: " << Join(names, ", ") << std::endl;
  return kExitRegression;
}

}  // namespace sysbench
