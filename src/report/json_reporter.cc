// json: one document {schema_version, context, results}; jsonl: one result per line, streamed.
#include <cmath>
#include <string>

#include "report/json_encoding.h"
#include "report/reporters.h"
#include "sysbench/units.h"

namespace sysbench::report {

Json ValueToJson(const MetricValue& value) {
  if (const auto* d = std::get_if<double>(&value)) {
    return std::isfinite(*d) ? Json(*d) : Json(FormatDouble(*d));
  }
  if (const auto* i = std::get_if<std::int64_t>(&value)) return Json(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&value)) return Json(*u);
  return Json(std::get<std::string>(value));
}

namespace {

Json NumberOrString(double value) { return ValueToJson(MetricValue{value}); }

}  // namespace

Json ResultToJson(const Result& result) {
  Json j;
  j["command"] = result.command;
  j["case"] = result.case_id;
  Json params = Json::object();
  for (const auto& [key, value] : result.params) params[key] = value;
  j["params"] = params;
  Json metrics = Json::array();
  for (const Metric& m : result.metrics) {
    Json metric;
    metric["name"] = m.name;
    metric["value"] = ValueToJson(m.value);
    metric["unit"] = m.unit;
    metric["better"] = m.better == Better::kNone ? Json(nullptr) : Json(ToString(m.better));
    metric["source"] = ToString(m.source);
    metrics.push_back(metric);
  }
  j["metrics"] = metrics;
  Json samples = Json::array();
  for (double s : result.samples) samples.push_back(NumberOrString(s));
  j["samples"] = samples;
  if (!result.samples.empty()) {
    j["samples_metric"] = result.samples_metric;
    const Summary s = result.SampleSummary();
    j["stats"] = Json{{"n", s.n},
                      {"min", NumberOrString(s.min)},
                      {"median", NumberOrString(s.median)},
                      {"mean", NumberOrString(s.mean)},
                      {"max", NumberOrString(s.max)},
                      {"stddev", NumberOrString(s.stddev)},
                      {"mad", NumberOrString(s.mad)},
                      {"p90", NumberOrString(s.p90)},
                      {"p99", NumberOrString(s.p99)},
                      {"cv", NumberOrString(s.cv)},
                      {"mdape_pct", NumberOrString(s.mdape)}};
    j["unstable"] = result.Unstable();
  }
  if (result.skipped) j["skipped"] = *result.skipped;
  if (result.run > 0) j["run"] = result.run;
  if (result.contention) {
    j["contention"] = Json{{"other_cpus", NumberOrString(result.contention->other_cpus)},
                           {"steal_pct", NumberOrString(result.contention->steal_pct)},
                           {"contended", result.Contended()}};
  }
  return j;
}

Json ContextToJson(const RunContextInfo& c) {
  Json j;
  j["version"] = c.version;
  j["build_type"] = c.build_type;
  j["optimized"] = c.optimized;
  j["argv"] = c.argv;
  j["time_utc"] = c.time_utc;
  j["host"] = c.hostname;
  j["kernel"] = c.kernel;
  j["cpu_vendor"] = c.cpu_vendor;
  j["cpu_model"] = c.cpu_model;
  j["logical_cpus"] = c.logical_cpus;
  j["physical_cores"] = c.physical_cores;
  j["isa_extensions"] = c.isa_extensions;
  j["caches"] = c.caches;
  if (!c.gpus.empty()) j["gpus"] = c.gpus;
  j["measured_clock_ghz"] = c.measured_clock_ghz > 0 ? Json(c.measured_clock_ghz) : Json(nullptr);
  j["virtualization"] = c.virtualization;
  j["governor"] = c.governor.empty() ? Json(nullptr) : Json(c.governor);
  j["load_avg_1min"] = c.load_avg_1min;
  j["warnings"] = c.warnings;
  j["shard"] = Json{{"launcher", c.shard.launcher}, {"index", c.shard.index},
                    {"count", c.shard.count},       {"node", c.shard.node},
                    {"job_id", c.shard.job_id},     {"step_id", c.shard.step_id}};
  return j;
}

namespace {

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::ostream& out) : out_(out) {}
  void Begin(const RunContextInfo& context) override { context_ = ContextToJson(context); }
  void Report(const Result& result) override { results_.push_back(ResultToJson(result)); }
  void End() override {
    Json doc;
    doc["schema_version"] = kSchemaVersion;
    doc["context"] = context_;
    doc["results"] = results_;
    out_ << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  Json context_ = Json::object();
  Json results_ = Json::array();
};

class JsonLinesReporter final : public Reporter {
 public:
  explicit JsonLinesReporter(std::ostream& out) : out_(out) {}
  void Report(const Result& result) override {
    out_ << ResultToJson(result).dump(-1, ' ', false, Json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
};

}  // namespace

std::unique_ptr<Reporter> MakeJsonReporter(std::ostream& out) {
  return std::make_unique<JsonReporter>(out);
}

std::unique_ptr<Reporter> MakeJsonLinesReporter(std::ostream& out) {
  return std::make_unique<JsonLinesReporter>(out);
}

}  // namespace sysbench::report
