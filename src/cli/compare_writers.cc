// The comparison in each format compare writes; every table goes through report/table.h.
#include <cstdio>

#include "cli/compare.h"
#include "report/json_encoding.h"
#include "report/table.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

std::string Percent(double value, bool sign) {
  char text[48];
  std::snprintf(text, sizeof text, sign ? "%+.1f%%" : "%.1f%%", value);
  return text;
}

std::string OptionalPercent(const std::optional<double>& value) {
  return value ? Percent(*value, false) : "-";
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

std::string Exact(const std::optional<double>& value) { return value ? FormatDouble(*value) : ""; }

const std::vector<std::string>& ExactHeader() {
  static const std::vector<std::string> header = {
      "command",  "case",       "metric",     "unit",      "better",     "gated",
      "baseline", "current",    "change_pct", "p_value",   "adjusted_p", "noise_pct",
      "mde_pct",  "n_baseline", "n_current",  "contended", "verdict"};
  return header;
}

std::vector<std::string> ExactCells(const ComparisonRow& r) {
  return {r.command,
          r.case_id,
          r.metric,
          r.unit,
          ToString(r.better),
          r.gated ? "yes" : "no",
          FormatDouble(r.baseline),
          FormatDouble(r.current),
          FormatDouble(r.change_pct),
          Exact(r.p_value),
          Exact(r.adjusted_p),
          Exact(r.noise_pct),
          Exact(r.mde_pct),
          std::to_string(r.n_baseline),
          std::to_string(r.n_current),
          r.contended ? "yes" : "no",
          ToString(r.verdict)};
}

const std::vector<std::string>& HumanHeader() {
  static const std::vector<std::string> header = {
      "gate",   "command", "case", "metric",   "baseline", "current", "unit",
      "change", "noise",   "mde",  "p (Holm)", "verdict",  "note"};
  return header;
}
const std::vector<bool>& HumanRight() {
  static const std::vector<bool> right = {false, false, false, false, true,  true, false,
                                          true,  true,  true,  true,  false, false};
  return right;
}

std::vector<std::string> HumanCells(const ComparisonRow& r, bool emphasis) {
  std::string verdict = ToString(r.verdict);
  if (r.gated && r.verdict == Verdict::kRegressed)
    verdict = emphasis ? "**REGRESSED**" : "REGRESSED";
  return {r.gated ? "*" : "",
          r.command,
          r.case_id,
          r.metric,
          FormatHuman(r.baseline),
          FormatHuman(r.current),
          r.unit,
          Percent(r.change_pct, true),
          OptionalPercent(r.noise_pct),
          OptionalPercent(r.mde_pct),
          PValue(r.adjusted_p),
          verdict,
          r.contended ? "contended" : ""};
}

std::string RunsLine(const Comparison& c) {
  return std::to_string(c.baseline_runs) + " baseline run(s) '" + c.baseline_label + "' -> " +
         std::to_string(c.current_runs) + " current run(s) '" + c.current_label +
         "'; a gated row fails when worse by more than " + Short(c.options.threshold_pct) +
         "% and its t test between runs (Holm over " + std::to_string(c.GatedCount()) +
         " gated rows) gives p < " + Short(c.options.alpha);
}

std::string CountsLine(const Comparison& c) {
  std::string text =
      std::to_string(c.GatedCount()) +
      " gated: " + std::to_string(c.Count(Verdict::kRegressed, true)) + " regressed, " +
      std::to_string(c.Count(Verdict::kImproved, true)) + " improved; " +
      std::to_string(c.rows.size()) + " compared: " + std::to_string(c.Count(Verdict::kRegressed)) +
      " worse, " + std::to_string(c.Count(Verdict::kImproved)) + " better, " +
      std::to_string(c.Count(Verdict::kSame)) + " within " + Short(c.options.threshold_pct) +
      "%, " + std::to_string(c.Count(Verdict::kNotSignificant)) + " not significant, " +
      std::to_string(c.Count(Verdict::kUntested)) + " untested, " +
      std::to_string(c.Count(Verdict::kNoDirection)) + " without a direction";
  if (c.only_in_baseline || c.only_in_current) {
    text += "; " + std::to_string(c.only_in_baseline) + " case(s) only in the baseline, " +
            std::to_string(c.only_in_current) + " only in the current run";
  }
  return text;
}

// "no regression" means "none above this": per gated row, the larger of the threshold and the
// detectable change.
std::string Resolution(const Comparison& c) {
  std::vector<std::string> parts;
  for (const ComparisonRow& r : c.rows) {
    if (!r.gated) continue;
    const double floor = std::max(c.options.threshold_pct, r.mde_pct.value_or(INFINITY));
    parts.push_back(r.command + " " + r.metric + (r.headline ? "" : " " + r.case_id) + " " +
                    (std::isfinite(floor) ? Percent(floor, false) : "untested"));
  }
  return "gate resolution (a change of this size is caught with probability " +
         Short(c.options.power) + "): " + Join(parts, ", ");
}

report::Json Optional(const std::optional<double>& value) {
  return value ? report::ValueToJson(*value) : report::Json(nullptr);
}

report::Json RowJson(const ComparisonRow& r) {
  report::Json j;
  j["command"] = r.command;
  j["case"] = r.case_id;
  j["metric"] = r.metric;
  j["unit"] = r.unit;
  j["better"] =
      r.better == Better::kNone ? report::Json(nullptr) : report::Json(ToString(r.better));
  j["headline"] = r.headline;
  j["gated"] = r.gated;
  j["baseline"] = report::ValueToJson(r.baseline);
  j["current"] = report::ValueToJson(r.current);
  j["change_pct"] = report::ValueToJson(r.change_pct);
  j["p_value"] = Optional(r.p_value);
  j["adjusted_p"] = Optional(r.adjusted_p);
  j["noise_pct"] = Optional(r.noise_pct);
  j["mde_pct"] = Optional(r.mde_pct);
  j["n_baseline"] = r.n_baseline;
  j["n_current"] = r.n_current;
  j["contended"] = r.contended;
  j["verdict"] = ToString(r.verdict);
  return j;
}

void WriteJson(const Comparison& c, std::ostream& out) {
  report::Json doc;
  doc["schema_version"] = report::kSchemaVersion;
  doc["kind"] = "comparison";
  doc["baseline"] = c.baseline_label;
  doc["current"] = c.current_label;
  doc["baseline_runs"] = c.baseline_runs;
  doc["current_runs"] = c.current_runs;
  doc["threshold_pct"] = c.options.threshold_pct;
  doc["alpha"] = c.options.alpha;
  doc["power"] = c.options.power;
  doc["gate"] = c.options.gate;
  doc["environment_differences"] = c.environment_differences;
  report::Json rows = report::Json::array();
  for (const ComparisonRow& r : c.rows) rows.push_back(RowJson(r));
  doc["rows"] = rows;
  doc["summary"] = {
      {"compared", c.rows.size()},
      {"gated", c.GatedCount()},
      {"regressed", c.Count(Verdict::kRegressed, true)},
      {"improved", c.Count(Verdict::kImproved, true)},
      {"worse_not_gated", c.Count(Verdict::kRegressed) - c.Count(Verdict::kRegressed, true)},
      {"same", c.Count(Verdict::kSame)},
      {"not_significant", c.Count(Verdict::kNotSignificant)},
      {"untested", c.Count(Verdict::kUntested)},
      {"only_in_baseline", c.only_in_baseline},
      {"only_in_current", c.only_in_current}};
  out << doc.dump(2, ' ', false, report::Json::error_handler_t::replace) << '\n';
}

void WriteText(const Comparison& c, std::ostream& out) {
  out << "# compare " << RunsLine(c) << '\n';
  std::vector<std::vector<std::string>> lines = {HumanHeader()};
  for (const ComparisonRow& r : c.rows) lines.push_back(HumanCells(r, false));
  report::WriteAlignedTable(lines, HumanRight(), out);
  out << CountsLine(c) << '\n' << Resolution(c) << '\n';
}

std::vector<std::vector<std::string>> Cells(const std::vector<const ComparisonRow*>& rows) {
  std::vector<std::vector<std::string>> cells;
  for (const ComparisonRow* r : rows) cells.push_back(HumanCells(*r, true));
  return cells;
}

}  // namespace

void WriteJobSummary(const Comparison& c, std::ostream& out) {
  const std::size_t regressed = c.Count(Verdict::kRegressed, true);
  out << "### sysbench gate: " << (regressed ? ":x: " : ":white_check_mark: ") << regressed
      << " of " << c.GatedCount() << " gated regressed\n\n"
      << report::MarkdownCell(RunsLine(c)) << ".\n\n";
  std::vector<const ComparisonRow*> gated, changed, rest;
  for (const ComparisonRow& r : c.rows) {
    const bool quiet = r.verdict == Verdict::kSame || r.verdict == Verdict::kNoDirection ||
                       r.verdict == Verdict::kNotSignificant;
    (r.gated ? gated : quiet ? rest : changed).push_back(&r);
  }
  if (!gated.empty()) {
    report::WriteMarkdownTable(HumanHeader(), HumanRight(), Cells(gated), out);
    out << '\n';
  }
  out << (regressed ? "" : "No regression above the resolution: ")
      << report::MarkdownCell(Resolution(c)) << ".\n\n";
  if (!changed.empty()) {
    out << "<details><summary>" << changed.size()
        << " other row(s) changed (reported, not gated)</summary>\n\n";
    report::WriteMarkdownTable(HumanHeader(), HumanRight(), Cells(changed), out);
    out << "\n</details>\n\n";
  }
  if (!rest.empty()) {
    out << "<details><summary>" << rest.size()
        << " other row(s) unchanged, not significant or without a direction</summary>\n\n";
    report::WriteMarkdownTable(HumanHeader(), HumanRight(), Cells(rest), out);
    out << "\n</details>\n\n";
  }
  out << report::MarkdownCell(CountsLine(c)) << '\n';
  if (!c.environment_differences.empty()) {
    out << "\n> The runs' environments differ: "
        << report::MarkdownCell(Join(c.environment_differences, "; ")) << '\n';
  }
}

void WriteComparison(const Comparison& c, const std::string& format, std::ostream& out) {
  if (format == "text") {
    WriteText(c, out);
  } else if (format == "markdown") {
    WriteJobSummary(c, out);
  } else if (format == "tsv" || format == "csv") {
    const char separator = format == "tsv" ? '\t' : ',';
    report::WriteDelimitedLine(ExactHeader(), separator, out);
    for (const ComparisonRow& r : c.rows) report::WriteDelimitedLine(ExactCells(r), separator, out);
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

}  // namespace sysbench
