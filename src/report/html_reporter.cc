// html: one self-contained page (inline CSS and SVG, no scripts, no network) with charts where a
// reader would rather look than read, and every result in a table below them.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "report/escape.h"
#include "report/reporters.h"
#include "report/svg_chart.h"
#include "report/table.h"
#include "sysbench/chart_spec.h"
#include "sysbench/units.h"

namespace sysbench::report {
namespace {

constexpr std::size_t kMaxBars = 48;

std::optional<std::string> ParamOf(const Result& r, const std::string& key) {
  for (const auto& [k, v] : r.params) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<double> NumberParam(const Result& r, const std::string& key) {
  const auto text = ParamOf(r, key);
  if (!text) return std::nullopt;
  try {
    std::size_t used = 0;
    const double v = std::stod(*text, &used);
    if (used == text->size() && std::isfinite(v)) return v;
  } catch (const std::logic_error&) {
  }
  return std::nullopt;
}

std::optional<double> MetricOf(const Result& r, const std::string& name) {
  const Metric* m = r.Find(name);
  if (m == nullptr) return std::nullopt;
  const double v = AsDouble(m->value);
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string UnitOf(const std::vector<const Result*>& results, const std::string& name) {
  for (const Result* r : results) {
    if (const Metric* m = r->Find(name)) return m->unit;
  }
  return "";
}

std::string SeriesName(const Result& r, const std::vector<std::string>& keys) {
  std::string name;
  for (const std::string& key : keys) {
    const auto v = ParamOf(r, key);
    if (!v) continue;
    if (!name.empty()) name += ' ';
    name += key + "=" + *v;
  }
  return name.empty() ? "all" : name;
}

// y_metric against the numeric x_param, one series per combination of those series_keys whose
// values differ between results; series of a single point are left out.
std::optional<LineChart> LineOf(const std::vector<const Result*>& results,
                                const std::string& x_param, const std::string& y_metric,
                                const std::vector<std::string>& series_keys, LineChart chart) {
  std::vector<const Result*> usable;
  for (const Result* r : results) {
    if (!r->skipped && NumberParam(*r, x_param) && MetricOf(*r, y_metric)) usable.push_back(r);
  }
  std::vector<std::string> keys;
  for (const std::string& key : series_keys) {
    std::set<std::string> values;
    for (const Result* r : usable) values.insert(ParamOf(*r, key).value_or(""));
    if (values.size() > 1) keys.push_back(key);
  }
  std::vector<std::string> order;
  std::map<std::string, Series> by_name;
  for (const Result* r : usable) {
    const std::string name = SeriesName(*r, keys);
    if (!by_name.count(name)) {
      order.push_back(name);
      by_name[name].name = name;
    }
    by_name[name].points.emplace_back(*NumberParam(*r, x_param), *MetricOf(*r, y_metric));
  }
  for (const std::string& name : order) {
    if (by_name[name].points.size() >= 2) chart.series.push_back(by_name[name]);
  }
  if (chart.series.empty()) return std::nullopt;
  return chart;
}

Bar BarOf(const Result& r, const std::string& metric, const std::string& label) {
  Bar bar;
  bar.label = label;
  bar.value = *MetricOf(r, metric);
  if (r.samples_metric == metric && r.samples.size() >= 2) {
    const Summary s = r.SampleSummary();
    bar.low = s.min;
    bar.high = s.max;
  }
  return bar;
}

std::vector<Marker> MarkersFrom(const std::vector<const Result*>& results,
                                const std::vector<std::pair<std::string, std::string>>& metrics) {
  std::vector<Marker> markers;
  for (const Result* r : results) {
    for (const auto& [name, label] : metrics) {
      if (const auto v = MetricOf(*r, name); v && *v > 0) markers.push_back({*v, label});
    }
  }
  return markers;
}

struct Section {
  std::vector<std::string> svgs;
  std::set<std::string> charted;  // metrics already drawn
  template <typename Chart>
  void Add(const std::optional<Chart>& chart, const ChartSpec& spec) {
    if (!chart) return;
    svgs.push_back(RenderSvg(*chart));
    charted.insert(spec.metric);
    if (!spec.reference_metric.empty()) charted.insert(spec.reference_metric);
  }
};

// "metric (unit)", or the metric alone when it has no unit.
std::string AxisLabel(const std::vector<const Result*>& rs, const std::string& metric) {
  const std::string unit = UnitOf(rs, metric);
  return unit.empty() ? metric : metric + " (" + unit + ")";
}

// True when some series (by all of the spec's series params) has min_x_values distinct x values.
bool HasEnoughX(const std::vector<const Result*>& rs, const ChartSpec& spec) {
  if (spec.min_x_values <= 2) return true;  // LineOf already needs two points per series
  std::map<std::string, std::set<double>> xs;
  for (const Result* r : rs) {
    if (const auto x = NumberParam(*r, spec.x_param)) xs[SeriesName(*r, spec.series)].insert(*x);
  }
  return std::any_of(xs.begin(), xs.end(),
                     [&](const auto& entry) { return entry.second.size() >= spec.min_x_values; });
}

std::optional<LineChart> DrawLine(const std::vector<const Result*>& rs, const ChartSpec& spec) {
  if (!HasEnoughX(rs, spec)) return std::nullopt;
  LineChart c;
  c.title = spec.title;
  c.x_label = spec.x_label;
  c.y_label = spec.y_label.empty() ? AxisLabel(rs, spec.metric) : spec.y_label;
  c.log2_x = spec.bytes_x;
  c.bytes_x = spec.bytes_x;
  c.ideal_y_equals_x = spec.ideal_y_equals_x;
  std::vector<std::pair<std::string, std::string>> markers;
  for (const ChartMarker& m : spec.markers) markers.emplace_back(m.metric, m.label);
  c.markers = MarkersFrom(rs, markers);
  return LineOf(rs, spec.x_param, spec.metric, spec.series, c);
}

std::optional<BarChart> DrawBars(const std::vector<const Result*>& rs, const ChartSpec& spec) {
  // With largest_x_only: the largest x_param value of each bar's series.
  std::map<std::string, double> largest;
  for (const Result* r : rs) {
    const auto x = NumberParam(*r, spec.x_param);
    if (!spec.largest_x_only || !x) continue;
    const std::string name = SeriesName(*r, spec.series);
    if (!largest.count(name) || *x > largest[name]) largest[name] = *x;
  }
  BarChart chart;
  chart.title = spec.title;
  chart.unit = AxisLabel(rs, spec.metric);
  chart.reference_name = spec.reference_metric;
  for (const Result* r : rs) {
    if (r->skipped || !MetricOf(*r, spec.metric)) continue;
    const std::string label = spec.series.empty() ? r->case_id : SeriesName(*r, spec.series);
    if (spec.largest_x_only) {
      const auto x = NumberParam(*r, spec.x_param);
      if (x && *x != largest[label]) continue;
    }
    const bool seen = std::any_of(chart.bars.begin(), chart.bars.end(),
                                  [&](const Bar& b) { return b.label == label; });
    if (seen) continue;
    if (chart.bars.size() == kMaxBars) {
      chart.title += " (first " + std::to_string(kMaxBars) + " cases)";
      break;
    }
    Bar bar = BarOf(*r, spec.metric, label);
    if (!spec.reference_metric.empty()) bar.reference = MetricOf(*r, spec.reference_metric);
    chart.bars.push_back(bar);
  }
  if (chart.bars.empty()) return std::nullopt;
  return chart;
}

// A bar chart for every sampled metric that no chart of the topic drew.
void GenericCharts(const std::vector<const Result*>& rs, Section& s) {
  std::vector<std::string> metrics;
  for (const Result* r : rs) {
    if (r->samples_metric.empty() || r->samples.empty() || s.charted.count(r->samples_metric))
      continue;
    if (std::find(metrics.begin(), metrics.end(), r->samples_metric) == metrics.end())
      metrics.push_back(r->samples_metric);
  }
  for (const std::string& m : metrics) {
    std::vector<const Result*> with;
    for (const Result* r : rs) {
      if (r->samples_metric == m) with.push_back(r);
    }
    ChartSpec generic;
    generic.kind = ChartSpec::Kind::kBars;
    generic.metric = m;
    generic.title = m + " per case (whiskers: sample min and max)";
    s.Add(DrawBars(with, generic), generic);
  }
}

std::string Esc(const std::string& text) { return XmlEscape(text); }

class HtmlReporter final : public Reporter {
 public:
  HtmlReporter(std::ostream& out, ChartsLookup charts) : out_(out), charts_(std::move(charts)) {}
  void Begin(const RunContextInfo& context) override { context_ = context; }
  void Report(const Result& result) override { results_.push_back(result); }

  void End() override {
    std::vector<std::string> commands;
    for (const Result& r : results_) {
      if (std::find(commands.begin(), commands.end(), r.command) == commands.end())
        commands.push_back(r.command);
    }
    out_ << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         << "<meta name=\"generator\" content=\"sysbench " << Esc(context_.version) << "\">"
         << "<title>sysbench report " << Esc(context_.time_utc) << "</title><style>" << kCss
         << "</style></head><body>\n<h1>sysbench report</h1>\n";
    WriteContext();
    if (!commands.empty()) {
      out_ << "<p class=\"nav\">";
      for (const std::string& c : commands)
        out_ << "<a href=\"#cmd-" << Esc(c) << "\">" << Esc(c) << "</a> ";
      out_ << "</p>\n";
    }
    for (const std::string& c : commands) WriteCommand(c);
    out_ << "<footer>Values: median of the raw samples; whiskers: sample min and max; "
            "sources: measured, lookup, computed. Written by sysbench "
         << Esc(context_.version) << ".</footer>\n</body></html>\n";
    out_.flush();
  }

 private:
  static constexpr const char* kCss =
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:920px;"
      "margin:1.5em auto;padding:0 1em;color:#222}h1{font-size:1.6em}h2{margin-top:1.6em;"
      "border-bottom:1px solid #ddd}table{border-collapse:collapse;font-size:13px;margin:.5em 0}"
      "td,th{border:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}"
      "td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f5f5f5}"
      "svg.chart{display:block;margin:1em 0;border:1px solid #eee}svg text{font-size:12px;"
      "fill:#222;font-family:inherit}svg text.title{font-size:14px;font-weight:600}"
      "svg text.small{font-size:11px}.warn{color:#a40}.nav a{margin-right:.8em}"
      "footer{margin-top:2em;font-size:12px;color:#666}details summary{cursor:pointer}";

  void WriteContext() {
    const RunContextInfo& c = context_;
    out_ << "<table class=\"context\">";
    auto row = [&](const std::string& key, const std::string& value) {
      if (!value.empty())
        out_ << "<tr><th>" << Esc(key) << "</th><td>" << Esc(value) << "</td></tr>";
    };
    row("time (UTC)", c.time_utc);
    row("sysbench", c.version + " " + c.build_type + (c.optimized ? "" : " (not optimized)"));
    row("command line", Join(c.argv, " "));
    row("host", c.hostname);
    row("CPU", c.cpu_vendor + " " + c.cpu_model);
    row("CPUs", std::to_string(c.logical_cpus) + " logical, " + std::to_string(c.physical_cores) +
                    " physical cores");
    row("measured clock", c.measured_clock_ghz > 0 ? FormatHuman(c.measured_clock_ghz) + " GHz"
                                                   : std::string("not measured in this run"));
    row("caches", Join(c.caches, "; "));
    if (!c.gpus.empty()) row("gpus", Join(c.gpus, "; "));
    row("kernel", c.kernel);
    row("virtualization", c.virtualization);
    row("governor", c.governor);
    row("load (1 min)", FormatHuman(c.load_avg_1min));
    out_ << "</table>\n";
    for (const std::string& w : c.warnings)
      out_ << "<p class=\"warn\">warning: " << Esc(w) << "</p>\n";
  }

  void WriteCommand(const std::string& command) {
    std::vector<const Result*> rs;
    for (const Result& r : results_) {
      if (r.command == command) rs.push_back(&r);
    }
    out_ << "<section id=\"cmd-" << Esc(command) << "\"><h2>" << Esc(command) << "</h2>\n";
    Section s;
    for (const ChartSpec& spec : charts_(command)) {
      if (spec.kind == ChartSpec::Kind::kLine) s.Add(DrawLine(rs, spec), spec);
      if (spec.kind == ChartSpec::Kind::kBars) s.Add(DrawBars(rs, spec), spec);
    }
    GenericCharts(rs, s);
    for (const std::string& svg : s.svgs) out_ << svg << '\n';
    std::size_t rows = 0;
    for (const Result* r : rs) rows += Rows(*r, ValueStyle::kHuman).size();
    out_ << "<details" << (rows <= 16 ? " open" : "") << "><summary>" << rs.size() << " result(s), "
         << rows << " value(s)</summary>\n<table><tr><th>case</th><th>params</th>"
         << "<th>metric</th><th>value</th><th>unit</th><th>source</th><th>spread</th><th>note</th>"
            "</tr>\n";
    for (const Result* r : rs) {
      for (const Row& row : Rows(*r, ValueStyle::kHuman)) {
        out_ << "<tr><td>" << Esc(row.case_id) << "</td><td>" << Esc(row.params) << "</td><td>"
             << Esc(row.metric) << "</td><td class=\"num\">" << Esc(row.value) << "</td><td>"
             << Esc(row.unit) << "</td><td>" << Esc(row.source) << "</td><td class=\"num\">"
             << Esc(row.spread) << "</td><td>" << Esc(row.note) << "</td></tr>\n";
      }
    }
    out_ << "</table></details></section>\n";
  }

  std::ostream& out_;
  ChartsLookup charts_;
  RunContextInfo context_;
  std::vector<Result> results_;
};

}  // namespace

std::vector<std::string> ChartFieldsMissing(const ChartSpec& spec,
                                            const std::vector<Result>& results) {
  const auto has = [&](const auto& found) {
    return std::any_of(results.begin(), results.end(),
                       [&](const Result& r) { return !r.skipped && found(r); });
  };
  std::vector<std::string> missing;
  for (const std::string& metric : {spec.metric, spec.reference_metric}) {
    if (!metric.empty() && !has([&](const Result& r) { return r.Find(metric) != nullptr; }))
      missing.push_back("metric " + metric);
  }
  if (!spec.x_param.empty() &&
      !has([&](const Result& r) { return NumberParam(r, spec.x_param).has_value(); }))
    missing.push_back("param " + spec.x_param);
  return missing;
}

std::unique_ptr<Reporter> MakeHtmlReporter(std::ostream& out, ChartsLookup charts) {
  return std::make_unique<HtmlReporter>(out, std::move(charts));
}

}  // namespace sysbench::report
