#include "cli/compare.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <tuple>

#include "report/json_encoding.h"
#include "sysbench/cli.h"
#include "sysbench/error.h"
#include "sysbench/mann_whitney.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

bool Comparable(const Metric& metric) {
  if (std::holds_alternative<std::string>(metric.value)) return false;
  if (!std::isfinite(AsDouble(metric.value))) return false;
  return metric.better != Better::kNone || metric.source == Source::kMeasured;
}

double ChangePercent(double baseline, double current) {
  if (baseline == current) return 0;
  if (baseline == 0)
    return 100 * (current - baseline) / ((std::fabs(baseline) + std::fabs(current)) / 2);
  return 100 * (current - baseline) / std::fabs(baseline);
}

std::string Percent(double value, bool sign) {
  char text[48];
  std::snprintf(text, sizeof text, sign ? "%+.1f%%" : "%.1f%%", value);
  return text;
}

std::string PValue(const std::optional<double>& p) {
  if (!p) return "-";
  char text[32];
  std::snprintf(text, sizeof text, *p < 1e-4 ? "%.1e" : "%.4f", *p);
  return text;
}

// 5 -> "5", 0.05 -> "0.05", for option values echoed back.
std::string Short(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%g", value);
  return text;
}

std::string Key(const std::string& command, const std::string& case_id) {
  return command + '\x1f' + case_id;
}

// The smallest two-sided p-value the exact U test can give for samples of m and n values.
double SmallestPossibleP(std::size_t m, std::size_t n) {
  std::vector<double> x(m), y(n);
  for (std::size_t i = 0; i < m; ++i) x[i] = static_cast<double>(i);
  for (std::size_t i = 0; i < n; ++i) y[i] = static_cast<double>(m + i);
  return MannWhitneyU(x, y).p_value;
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

std::size_t Comparison::Count(Verdict verdict) const {
  return static_cast<std::size_t>(
      std::count_if(rows.begin(), rows.end(), [&](const auto& r) { return r.verdict == verdict; }));
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

Comparison Compare(const report::ResultsDocument& baseline, const report::ResultsDocument& current,
                   const CompareOptions& options) {
  Comparison c;
  c.baseline_path = baseline.path;
  c.current_path = current.path;
  c.options = options;
  c.environment_differences = EnvironmentDifferences(baseline.context, current.context);
  std::map<std::string, const Result*> current_by_key;
  for (const Result& r : current.results) current_by_key.emplace(Key(r.command, r.case_id), &r);
  std::map<std::string, bool> matched;
  for (const Result& base : baseline.results) {
    const auto found = current_by_key.find(Key(base.command, base.case_id));
    if (found == current_by_key.end()) {
      ++c.only_in_baseline;
      continue;
    }
    matched[found->first] = true;
    const Result& cur = *found->second;
    if (base.skipped || cur.skipped) continue;
    for (const Metric& bm : base.metrics) {
      const Metric* cm = cur.Find(bm.name);
      if (cm == nullptr || !Comparable(bm) || !Comparable(*cm)) continue;
      ComparisonRow row;
      row.command = base.command;
      row.case_id = base.case_id;
      row.metric = bm.name;
      row.unit = bm.unit;
      row.better = bm.better != Better::kNone ? bm.better : cm->better;
      row.baseline = AsDouble(bm.value);
      row.current = AsDouble(cm->value);
      row.change_pct = ChangePercent(row.baseline, row.current);
      if (base.samples_metric == bm.name && cur.samples_metric == bm.name &&
          base.samples.size() >= 2 && cur.samples.size() >= 2) {
        row.n_baseline = base.samples.size();
        row.n_current = cur.samples.size();
        row.p_value = MannWhitneyU(base.samples, cur.samples).p_value;
      }
      const double worse_pct = row.better == Better::kHigher ? -row.change_pct : row.change_pct;
      if (row.better == Better::kNone) {
        row.verdict = Verdict::kNoDirection;
      } else if (std::fabs(row.change_pct) <= options.threshold_pct) {
        row.verdict = Verdict::kSame;
      } else if (!row.p_value) {
        row.verdict = Verdict::kUntested;
      } else if (*row.p_value >= options.alpha) {
        row.verdict = Verdict::kNotSignificant;
      } else {
        row.verdict = worse_pct > 0 ? Verdict::kRegressed : Verdict::kImproved;
      }
      c.rows.push_back(std::move(row));
    }
  }
  for (const Result& r : current.results) {
    if (!matched.count(Key(r.command, r.case_id))) ++c.only_in_current;
  }
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

namespace {

std::vector<std::string> Header() {
  return {"command", "case",       "metric",  "unit",       "better",    "baseline",
          "current", "change_pct", "p_value", "n_baseline", "n_current", "verdict"};
}

std::vector<std::string> ExactCells(const ComparisonRow& r) {
  return {r.command,
          r.case_id,
          r.metric,
          r.unit,
          ToString(r.better),
          FormatDouble(r.baseline),
          FormatDouble(r.current),
          FormatDouble(r.change_pct),
          r.p_value ? FormatDouble(*r.p_value) : "",
          r.p_value ? std::to_string(r.n_baseline) : "",
          r.p_value ? std::to_string(r.n_current) : "",
          ToString(r.verdict)};
}

std::string Summary(const Comparison& c) {
  std::string text =
      std::to_string(c.rows.size()) + " compared: " + std::to_string(c.Count(Verdict::kRegressed)) +
      " regressed, " + std::to_string(c.Count(Verdict::kImproved)) + " improved, " +
      std::to_string(c.Count(Verdict::kSame)) + " within " + Short(c.options.threshold_pct) +
      "%, " + std::to_string(c.Count(Verdict::kNotSignificant)) +
      " not significant (p >= " + Short(c.options.alpha) + "), " +
      std::to_string(c.Count(Verdict::kUntested)) + " without samples, " +
      std::to_string(c.Count(Verdict::kNoDirection)) + " without a direction";
  if (c.only_in_baseline || c.only_in_current) {
    text += "; " + std::to_string(c.only_in_baseline) + " result(s) only in the baseline, " +
            std::to_string(c.only_in_current) + " only in the current run";
  }
  return text;
}

std::string Field(std::string text, char separator) {
  if (separator == '\t') {
    for (char& ch : text) {
      if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
    }
    return text;
  }
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char ch : text) {
    if (ch == '"') quoted += '"';
    quoted += ch;
  }
  return quoted + "\"";
}

void WriteDelimited(const Comparison& c, char separator, std::ostream& out) {
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i) out << separator;
      out << Field(cells[i], separator);
    }
    out << '\n';
  };
  line(Header());
  for (const ComparisonRow& r : c.rows) line(ExactCells(r));
}

report::Json RowJson(const ComparisonRow& r) {
  report::Json j;
  j["command"] = r.command;
  j["case"] = r.case_id;
  j["metric"] = r.metric;
  j["unit"] = r.unit;
  j["better"] =
      r.better == Better::kNone ? report::Json(nullptr) : report::Json(ToString(r.better));
  j["baseline"] = report::ValueToJson(r.baseline);
  j["current"] = report::ValueToJson(r.current);
  j["change_pct"] = report::ValueToJson(r.change_pct);
  j["p_value"] = r.p_value ? report::ValueToJson(*r.p_value) : report::Json(nullptr);
  j["n_baseline"] = r.n_baseline;
  j["n_current"] = r.n_current;
  j["verdict"] = ToString(r.verdict);
  return j;
}

void WriteJson(const Comparison& c, std::ostream& out) {
  report::Json doc;
  doc["schema_version"] = report::kSchemaVersion;
  doc["kind"] = "comparison";
  doc["baseline"] = c.baseline_path;
  doc["current"] = c.current_path;
  doc["threshold_pct"] = c.options.threshold_pct;
  doc["alpha"] = c.options.alpha;
  doc["environment_differences"] = c.environment_differences;
  report::Json rows = report::Json::array();
  for (const ComparisonRow& r : c.rows) rows.push_back(RowJson(r));
  doc["rows"] = rows;
  doc["summary"] = {{"compared", c.rows.size()},
                    {"regressed", c.Count(Verdict::kRegressed)},
                    {"improved", c.Count(Verdict::kImproved)},
                    {"same", c.Count(Verdict::kSame)},
                    {"not_significant", c.Count(Verdict::kNotSignificant)},
                    {"untested", c.Count(Verdict::kUntested)},
                    {"only_in_baseline", c.only_in_baseline},
                    {"only_in_current", c.only_in_current}};
  out << doc.dump(2, ' ', false, report::Json::error_handler_t::replace) << '\n';
}

std::vector<std::string> HumanCells(const ComparisonRow& r) {
  return {r.command,
          r.case_id,
          r.metric,
          FormatHuman(r.baseline),
          FormatHuman(r.current),
          r.unit,
          Percent(r.change_pct, true),
          PValue(r.p_value),
          r.verdict == Verdict::kRegressed ? "REGRESSED" : ToString(r.verdict)};
}

void WriteText(const Comparison& c, std::ostream& out) {
  out << "# compare " << c.baseline_path << " -> " << c.current_path << " (threshold "
      << Short(c.options.threshold_pct) << "%, alpha " << Short(c.options.alpha) << ")\n";
  const std::vector<std::string> header = {"command", "case",   "metric", "baseline", "current",
                                           "unit",    "change", "p",      "verdict"};
  std::vector<std::vector<std::string>> lines = {header};
  for (const ComparisonRow& r : c.rows) lines.push_back(HumanCells(r));
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& l : lines) {
    for (std::size_t i = 0; i < l.size(); ++i) width[i] = std::max(width[i], l[i].size());
  }
  for (const auto& l : lines) {
    std::string text;
    for (std::size_t i = 0; i < l.size(); ++i) {
      const std::size_t pad = width[i] - l[i].size();
      const bool right = i == 3 || i == 4 || i == 6 || i == 7;
      text += right ? std::string(pad, ' ') + l[i] : l[i] + std::string(pad, ' ');
      if (i + 1 < l.size()) text += "  ";
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << '\n';
  }
  out << Summary(c) << '\n';
}

std::string MarkdownEscape(const std::string& text) {
  std::string escaped;
  for (char ch : text) {
    if (ch == '|') escaped += '\\';
    escaped += ch == '\n' ? ' ' : ch;
  }
  return escaped;
}

void MarkdownTable(const std::vector<const ComparisonRow*>& rows, std::ostream& out) {
  out << "| command | case | metric | baseline | current | unit | change | p | verdict |\n"
      << "|---|---|---|--:|--:|---|--:|--:|---|\n";
  for (const ComparisonRow* r : rows) {
    std::vector<std::string> cells = HumanCells(*r);
    out << '|';
    for (std::size_t i = 0; i < cells.size(); ++i) {
      std::string cell = MarkdownEscape(cells[i]);
      if (r->verdict == Verdict::kRegressed && i == cells.size() - 1) cell = "**" + cell + "**";
      out << ' ' << cell << " |";
    }
    out << '\n';
  }
}

// For a pull-request comment: what changed in a table, the rest folded away.
void WriteMarkdown(const Comparison& c, std::ostream& out) {
  const std::size_t regressed = c.Count(Verdict::kRegressed);
  out << "### sysbench compare: " << (regressed ? ":x: " : ":white_check_mark: ") << regressed
      << " regressed\n\n"
      << "Baseline `" << c.baseline_path << "`, current `" << c.current_path << "`; threshold "
      << Short(c.options.threshold_pct) << "%, alpha " << Short(c.options.alpha)
      << " (Mann-Whitney U on the raw samples).\n\n";
  std::vector<const ComparisonRow*> changed, rest;
  for (const ComparisonRow& r : c.rows) {
    const bool quiet = r.verdict == Verdict::kSame || r.verdict == Verdict::kNoDirection;
    (quiet ? rest : changed).push_back(&r);
  }
  if (!changed.empty()) {
    MarkdownTable(changed, out);
    out << '\n';
  }
  if (!rest.empty()) {
    out << "<details><summary>" << rest.size() << " unchanged or without a direction</summary>\n\n";
    MarkdownTable(rest, out);
    out << "\n</details>\n\n";
  }
  out << Summary(c) << '\n';
  if (!c.environment_differences.empty()) {
    out << "\n> The runs' environments differ: "
        << MarkdownEscape(Join(c.environment_differences, "; ")) << '\n';
  }
}

}  // namespace

void WriteComparison(const Comparison& c, const std::string& format, std::ostream& out) {
  if (format == "text") {
    WriteText(c, out);
  } else if (format == "markdown") {
    WriteMarkdown(c, out);
  } else if (format == "tsv") {
    WriteDelimited(c, '\t', out);
  } else if (format == "csv") {
    WriteDelimited(c, ',', out);
  } else if (format == "json") {
    WriteJson(c, out);
  } else if (format == "jsonl") {
    for (const ComparisonRow& r : c.rows) {
      out << RowJson(r).dump(-1, ' ', false, report::Json::error_handler_t::replace) << '\n';
    }
  } else {
    CheckComparisonFormat(format);
  }
  out.flush();
}

int FinishComparison(const report::ResultsDocument& baseline,
                     const report::ResultsDocument& current, const CompareOptions& options,
                     const std::string& format, std::ostream& out, Notes& notes,
                     std::ostream& err) {
  Comparison c = Compare(baseline, current, options);
  if (!c.environment_differences.empty()) {
    const std::string text =
        "the two runs' environments differ: " + Join(c.environment_differences, "; ");
    if (options.strict_env) throw UsageError(text + " (--strict-env)");
    notes.Warn(text + "; their numbers may not be comparable");
  }
  if (c.rows.empty()) {
    throw UsageError("'" + baseline.path + "' and '" + current.path +
                     "' have no results in common (matched by command, case and metric)");
  }
  // Tell when too few samples make a significant result impossible.
  std::size_t min_base = 0, min_cur = 0;
  for (const ComparisonRow& r : c.rows) {
    if (!r.p_value) continue;
    if (min_base == 0 || r.n_baseline < min_base) min_base = r.n_baseline;
    if (min_cur == 0 || r.n_current < min_cur) min_cur = r.n_current;
  }
  if (min_base > 0 && SmallestPossibleP(min_base, min_cur) >= options.alpha) {
    notes.Warn("with " + std::to_string(min_base) + " and " + std::to_string(min_cur) +
               " samples the U test cannot reach p < " + Short(options.alpha) +
               ": record both runs with --repetitions 5 or more");
  }
  notes.Flush();
  WriteComparison(c, format, out);
  const std::size_t regressed = c.Count(Verdict::kRegressed);
  if (regressed == 0) return kExitOk;
  std::vector<std::string> names;
  for (const ComparisonRow& r : c.rows) {
    if (r.verdict == Verdict::kRegressed) {
      names.push_back(r.command + " " + r.case_id + " " + r.metric + " " +
                      Percent(r.change_pct, true));
    }
  }
  err << "sysbench: compare: " << regressed << " regressed: " << Join(names, ", ") << std::endl;
  return kExitRegression;
}

}  // namespace sysbench
