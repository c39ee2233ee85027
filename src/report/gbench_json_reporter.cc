// gbench-json: the document Google Benchmark's --benchmark_format=json writes, so its
// tools/compare.py and dashboards that read it take sysbench runs. The mapping is documented in
// docs/output-formats.md.
#include <cmath>
#include <string>
#include <vector>

#include "report/json_encoding.h"
#include "report/reporters.h"
#include "sysbench/stats.h"

namespace sysbench::report {
namespace {

bool IsTimeUnit(const std::string& unit) {
  return unit == "ns" || unit == "us" || unit == "ms" || unit == "s";
}

// real_time and cpu_time must be lower-is-better: a lower-is-better metric is written as is (in its
// own time unit, or "ns" when it is not a time); a higher-is-better one as its reciprocal in
// nanoseconds per unit (100 GFLOP/s -> 1e7 ns per GFLOP). Nanoseconds, because compare.py prints
// times with no decimals: seconds per unit would all show as 0.
struct TimeView {
  std::string time_unit;
  bool reciprocal = false;
  double Of(double value) const { return reciprocal ? 1e9 / value : value; }
};

TimeView ViewOf(const Metric& metric) {
  if (metric.better == Better::kHigher) return {"ns", true};
  return {IsTimeUnit(metric.unit) ? metric.unit : "ns", false};
}

bool Usable(const Metric& metric, const TimeView& view) {
  if (metric.better == Better::kNone) return false;
  if (std::holds_alternative<std::string>(metric.value)) return false;
  const double v = AsDouble(metric.value);
  return std::isfinite(v) && (!view.reciprocal || v > 0);
}

int ThreadsOf(const Result& result) {
  for (const auto& [key, value] : result.params) {
    if (key != "threads") continue;
    try {
      std::size_t used = 0;
      const int n = std::stoi(value, &used);
      if (used == value.size() && n > 0) return n;
    } catch (const std::logic_error&) {
    }
  }
  return 1;
}

// The metric's own value as a user counter, renamed when it would hide a standard field.
std::string CounterName(const std::string& metric) {
  static const char* const kReserved[] = {"name",
                                          "family_index",
                                          "per_family_instance_index",
                                          "run_name",
                                          "run_type",
                                          "repetitions",
                                          "repetition_index",
                                          "threads",
                                          "iterations",
                                          "real_time",
                                          "cpu_time",
                                          "time_unit",
                                          "label",
                                          "aggregate_name",
                                          "aggregate_unit",
                                          "error_occurred",
                                          "error_message"};
  for (const char* reserved : kReserved) {
    if (metric == reserved) return "sysbench_" + metric;
  }
  return metric;
}

// The same shape as Google Benchmark's own context block, plus sysbench's under "sysbench".
Json GbenchContext(const RunContextInfo& c) {
  Json j;
  std::string date =
      c.time_utc;  // 2026-11-30T01:02:03Z -> Google Benchmark's 2026-11-30T01:02:03+00:00
  if (!date.empty() && date.back() == 'Z') date = date.substr(0, date.size() - 1) + "+00:00";
  j["date"] = date;
  j["host_name"] = c.hostname;
  j["executable"] = c.argv.empty() ? std::string("sysbench") : c.argv.front();
  j["num_cpus"] = c.logical_cpus;
  j["mhz_per_cpu"] = static_cast<long long>(std::llround(c.measured_clock_ghz * 1000));
  j["cpu_scaling_enabled"] = !c.governor.empty() && c.governor != "performance";
  j["caches"] = Json::array();
  j["load_avg"] = Json::array({c.load_avg_1min});
  j["library_version"] = "sysbench " + c.version;
  j["library_build_type"] = c.optimized ? "release" : "debug";
  j["sysbench"] = ContextToJson(c);
  return j;
}

class GbenchJsonReporter final : public Reporter {
 public:
  explicit GbenchJsonReporter(std::ostream& out) : out_(out) {}

  void Begin(const RunContextInfo& context) override { context_ = GbenchContext(context); }

  void Report(const Result& result) override {
    if (result.skipped) return;
    int instance = 0;
    for (const Metric& metric : result.metrics) {
      const TimeView view = ViewOf(metric);
      if (!Usable(metric, view)) continue;
      std::vector<double> values;
      if (metric.name == result.samples_metric) {
        for (double s : result.samples) {
          if (std::isfinite(s) && (!view.reciprocal || s > 0)) values.push_back(s);
        }
      }
      if (values.empty()) values.push_back(AsDouble(metric.value));
      AddRuns(result, metric, view, values, instance++);
    }
    ++family_;
  }

  void End() override {
    Json doc;
    doc["context"] = context_;
    doc["benchmarks"] = benchmarks_;
    out_ << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  // One iteration run per value (the metric's own values), then aggregates of their times.
  void AddRuns(const Result& result, const Metric& metric, const TimeView& view,
               const std::vector<double>& values, int instance) {
    const std::string name = result.command + "/" + result.case_id + "/" + metric.name;
    const std::string label = metric.name + " " + std::string(ToString(metric.better)) +
                              " is better, unit '" + metric.unit + "'" +
                              (view.reciprocal ? ", time = 1e9 / value" : "");
    Json base;
    base["name"] = name;
    base["family_index"] = family_;
    base["per_family_instance_index"] = instance;
    base["run_name"] = name;
    base["run_type"] = "iteration";
    base["repetitions"] = values.size();
    base["repetition_index"] = 0;
    base["threads"] = ThreadsOf(result);
    base["iterations"] = 1;
    base["real_time"] = 0.0;
    base["cpu_time"] = 0.0;
    base["time_unit"] = view.time_unit;
    base["label"] = label;
    std::vector<double> times;
    for (std::size_t i = 0; i < values.size(); ++i) {
      times.push_back(view.Of(values[i]));
      Json run = base;
      run["repetition_index"] = i;
      run["real_time"] = times.back();
      run["cpu_time"] = times.back();
      run[CounterName(metric.name)] = values[i];
      benchmarks_.push_back(run);
    }
    if (times.size() < 2) return;
    const Summary s = Summarize(times);
    for (const auto& [aggregate, value] : {std::pair<const char*, double>{"mean", s.mean},
                                           {"median", s.median},
                                           {"stddev", s.stddev}}) {
      Json run = base;
      run.erase("repetition_index");
      run["name"] = name + "_" + aggregate;
      run["run_type"] = "aggregate";
      run["aggregate_name"] = aggregate;
      run["aggregate_unit"] = "time";
      run["real_time"] = value;
      run["cpu_time"] = value;
      benchmarks_.push_back(run);
    }
  }

  std::ostream& out_;
  Json context_ = Json::object();
  Json benchmarks_ = Json::array();
  int family_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> MakeGbenchJsonReporter(std::ostream& out) {
  return std::make_unique<GbenchJsonReporter>(out);
}

}  // namespace sysbench::report
