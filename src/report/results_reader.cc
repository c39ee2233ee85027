#include "report/results_reader.h"

#include <limits>

#include "core/input_file.h"
#include "report/json_encoding.h"
#include "sysbench/error.h"

namespace sysbench::report {
namespace {

MetricValue JsonToValue(const Json& j) {
  if (j.is_number_unsigned()) return j.get<std::uint64_t>();
  if (j.is_number_integer()) return j.get<std::int64_t>();
  if (j.is_number_float()) return j.get<double>();
  if (j.is_string()) {
    const std::string text = j.get<std::string>();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    return text;
  }
  if (j.is_boolean()) return std::string(j.get<bool>() ? "yes" : "no");
  return std::string(j.dump());
}

double JsonToDouble(const Json& j) { return AsDouble(JsonToValue(j)); }

std::string Text(const Json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return "";
  return j[key].is_string() ? j[key].get<std::string>() : j[key].dump();
}

std::vector<std::string> TextList(const Json& j, const char* key) {
  std::vector<std::string> list;
  if (j.contains(key) && j[key].is_array()) {
    for (const Json& item : j[key])
      list.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  }
  return list;
}

Better ParseBetter(const Json& j) {
  if (!j.is_string()) return Better::kNone;
  const std::string text = j.get<std::string>();
  if (text == "higher") return Better::kHigher;
  if (text == "lower") return Better::kLower;
  return Better::kNone;
}

Source ParseSource(const Json& j) {
  const std::string text = j.is_string() ? j.get<std::string>() : "";
  if (text == "lookup") return Source::kLookedUp;
  if (text == "computed") return Source::kComputed;
  return Source::kMeasured;
}

// A document written before the shard contract has none: it ran alone on its host.
ShardInfo ParseShard(const Json& s, const std::string& hostname) {
  ShardInfo shard;
  shard.node = hostname;
  if (!s.is_object()) return shard;
  if (s.contains("launcher") && s["launcher"].is_string()) shard.launcher = Text(s, "launcher");
  if (s.contains("index") && s["index"].is_number_integer()) shard.index = s["index"].get<int>();
  if (s.contains("count") && s["count"].is_number_integer()) shard.count = s["count"].get<int>();
  if (s.contains("node") && s["node"].is_string()) shard.node = Text(s, "node");
  shard.job_id = Text(s, "job_id");
  shard.step_id = Text(s, "step_id");
  return shard;
}

RunContextInfo ParseContext(const Json& c) {
  RunContextInfo info;
  if (!c.is_object()) return info;
  info.version = Text(c, "version");
  info.build_type = Text(c, "build_type");
  info.optimized = c.value("optimized", true);
  info.argv = TextList(c, "argv");
  info.time_utc = Text(c, "time_utc");
  info.hostname = Text(c, "host");
  info.kernel = Text(c, "kernel");
  info.cpu_vendor = Text(c, "cpu_vendor");
  info.cpu_model = Text(c, "cpu_model");
  info.virtualization = Text(c, "virtualization");
  info.governor = Text(c, "governor");
  info.isa_extensions = TextList(c, "isa_extensions");
  info.caches = TextList(c, "caches");
  info.gpus = TextList(c, "gpus");
  if (c.contains("logical_cpus") && c["logical_cpus"].is_number_integer())
    info.logical_cpus = c["logical_cpus"].get<int>();
  if (c.contains("physical_cores") && c["physical_cores"].is_number_integer())
    info.physical_cores = c["physical_cores"].get<int>();
  if (c.contains("measured_clock_ghz") && c["measured_clock_ghz"].is_number())
    info.measured_clock_ghz = c["measured_clock_ghz"].get<double>();
  if (c.contains("load_avg_1min") && c["load_avg_1min"].is_number())
    info.load_avg_1min = c["load_avg_1min"].get<double>();
  info.warnings = TextList(c, "warnings");
  info.shard.node = info.hostname;
  if (c.contains("shard")) info.shard = ParseShard(c["shard"], info.hostname);
  return info;
}

Result ParseResult(const Json& j, const std::string& where) {
  if (!j.is_object() || !j.contains("command") || !j["command"].is_string() ||
      !j.contains("case") || !j["case"].is_string()) {
    throw UsageError(where + ": a result without \"command\" and \"case\"");
  }
  Result r(j["command"].get<std::string>(), j["case"].get<std::string>());
  if (j.contains("params") && j["params"].is_object()) {
    for (const auto& [key, value] : j["params"].items()) {
      r.Param(key, value.is_string() ? value.get<std::string>() : value.dump());
    }
  }
  if (j.contains("metrics") && j["metrics"].is_array()) {
    for (const Json& m : j["metrics"]) {
      if (!m.is_object() || !m.contains("name") || !m["name"].is_string() || !m.contains("value")) {
        throw UsageError(where + ": result '" + r.command + " " + r.case_id +
                         "' has a metric without name or value");
      }
      r.Add(Metric{m["name"].get<std::string>(), JsonToValue(m["value"]), Text(m, "unit"),
                   ParseBetter(m.contains("better") ? m["better"] : Json()),
                   ParseSource(m.contains("source") ? m["source"] : Json())});
    }
  }
  if (j.contains("samples") && j["samples"].is_array()) {
    for (const Json& s : j["samples"]) r.samples.push_back(JsonToDouble(s));
  }
  r.samples_metric = Text(j, "samples_metric");
  if (j.contains("skipped") && j["skipped"].is_string())
    r.skipped = j["skipped"].get<std::string>();
  if (j.contains("run")) {
    if (!j["run"].is_number_integer() || j["run"].get<std::int64_t>() < 1 ||
        j["run"].get<std::int64_t>() > kMaxRunsPerDocument) {
      throw UsageError(where + ": result '" + r.command + " " + r.case_id +
                       "' has a \"run\" that is not a number from 1 to " +
                       std::to_string(kMaxRunsPerDocument));
    }
    r.run = j["run"].get<int>();
  }
  if (j.contains("contention") && j["contention"].is_object()) {
    const Json& c = j["contention"];
    r.contention = Contention{c.contains("other_cpus") ? JsonToDouble(c["other_cpus"]) : 0,
                              c.contains("steal_pct") ? JsonToDouble(c["steal_pct"]) : 0};
  }
  return r;
}

}  // namespace

ResultsDocument ParseResultsDocument(const std::string& text, const std::string& path) {
  const std::string where = "'" + path + "'";
  Json doc = Json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    throw UsageError(where +
                     " is not a JSON document (truncated, or not written by --format json)");
  }
  if (!doc.is_object() || !doc.contains("schema_version")) {
    throw UsageError(where + " has no schema_version: not a sysbench --format json document");
  }
  if (doc["schema_version"] != kSchemaVersion) {
    throw UsageError(where + " has schema_version " + doc["schema_version"].dump() +
                     "; this sysbench reads " + std::to_string(kSchemaVersion));
  }
  if (!doc.contains("results") || !doc["results"].is_array()) {
    throw UsageError(where + " has no \"results\" array");
  }
  ResultsDocument parsed;
  parsed.path = path;
  parsed.context = ParseContext(doc.contains("context") ? doc["context"] : Json());
  for (const Json& r : doc["results"]) parsed.results.push_back(ParseResult(r, where));
  return parsed;
}

ResultsDocument ReadResultsFile(const std::string& path) {
  return ParseResultsDocument(ReadInputFile(path), path);
}

}  // namespace sysbench::report
