#include "report/table.h"

#include <algorithm>
#include <cstdio>

#include "sysbench/units.h"

namespace sysbench::report {

std::string FormatValue(const MetricValue& value, ValueStyle style) {
  if (const auto* d = std::get_if<double>(&value)) {
    return style == ValueStyle::kExact ? FormatDouble(*d) : FormatHuman(*d);
  }
  if (const auto* i = std::get_if<std::int64_t>(&value)) return std::to_string(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&value)) return std::to_string(*u);
  return std::get<std::string>(value);
}

std::vector<Row> Rows(const Result& result, ValueStyle style) {
  std::string params;
  for (const auto& [key, value] : result.params) {
    if (!params.empty()) params += ' ';
    params += key + "=" + value;
  }
  if (result.run > 0) params += (params.empty() ? "run=" : " run=") + std::to_string(result.run);
  Row base;
  base.command = result.command;
  base.case_id = result.case_id;
  base.params = params;
  std::vector<Row> rows;
  if (result.skipped) {
    base.note = "skipped: " + *result.skipped;
    rows.push_back(base);
    return rows;
  }
  const Summary summary = result.SampleSummary();
  for (const Metric& metric : result.metrics) {
    Row row = base;
    row.metric = metric.name;
    // Facts (float-info's epsilon, a looked-up size) are shown exactly. Measured values, and values
    // computed from them (in a timed case, or a figure with a better direction, like a speed-up
    // of two measured rates), carry measurement error: those are rounded for people.
    const bool from_timing = metric.source == Source::kMeasured ||
                             (metric.source == Source::kComputed &&
                              (!result.samples.empty() || metric.better != Better::kNone));
    row.value = FormatValue(metric.value, from_timing ? style : ValueStyle::kExact);
    row.unit = metric.unit;
    row.better = ToString(metric.better);
    row.source = ToString(metric.source);
    if (metric.name == result.samples_metric && summary.n > 0) {
      char spread[32];
      std::snprintf(spread, sizeof spread, "%.1f%%", summary.mdape);
      row.spread = spread;
      if (result.Unstable()) row.note = "unstable";
      // Other load ran beside the case (see Contention): said where the spread is.
      if (result.Contended()) row.note += row.note.empty() ? "contended" : ", contended";
    }
    rows.push_back(row);
  }
  return rows;
}

const std::vector<std::string>& ColumnNames() {
  static const std::vector<std::string> names = {"command", "case",   "params", "metric", "value",
                                                 "unit",    "better", "source", "spread", "note"};
  return names;
}

std::vector<std::string> Cells(const Row& row) {
  return {row.command, row.case_id, row.params, row.metric, row.value,
          row.unit,    row.better,  row.source, row.spread, row.note};
}

void WriteDelimitedLine(const std::vector<std::string>& cells, char separator, std::ostream& out) {
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i != 0) out << separator;
    out << DelimitedField(cells[i], separator);
  }
  out << '\n';
}

void WriteAlignedTable(const std::vector<std::vector<std::string>>& lines,
                       const std::vector<bool>& right, std::ostream& out) {
  std::vector<std::size_t> width;
  for (const auto& line : lines) {
    width.resize(std::max(width.size(), line.size()), 0);
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  }
  for (const auto& line : lines) {
    std::string text;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const std::string pad(width[i] - line[i].size(), ' ');
      const bool align_right = i < right.size() && right[i];
      text += align_right ? pad + line[i] : line[i] + pad;
      if (i + 1 < line.size()) text += "  ";
    }
    text.erase(text.find_last_not_of(' ') + 1);
    out << text << '\n';
  }
}

void WriteMarkdownTable(const std::vector<std::string>& header, const std::vector<bool>& right,
                        const std::vector<std::vector<std::string>>& rows, std::ostream& out) {
  auto line = [&](const std::vector<std::string>& cells) {
    out << '|';
    for (const std::string& cell : cells) out << ' ' << MarkdownCell(cell) << " |";
    out << '\n';
  };
  line(header);
  out << '|';
  for (std::size_t i = 0; i < header.size(); ++i) {
    out << (i < right.size() && right[i] ? "--:|" : "---|");
  }
  out << '\n';
  for (const auto& row : rows) line(row);
}

}  // namespace sysbench::report
