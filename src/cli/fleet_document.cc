#include "cli/fleet_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/input_file.h"
#include "report/json_encoding.h"
#include "sysbench/error.h"

namespace sysbench::fleet {
namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxDocumentBytes = 256u << 20;
constexpr const char* kFleetKind = "fleet";

// The sysbench options of a run, without those that only say where and how output goes.
std::string Settings(const std::vector<std::string>& argv) {
  std::vector<std::string> kept;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "-o" || a == "--output" || a == "--format") {
      ++i;
      continue;
    }
    if (a.rfind("--output=", 0) == 0 || a.rfind("--format=", 0) == 0 || a == "-q" ||
        a == "--quiet") {
      continue;
    }
    kept.push_back(a);
  }
  return fmt::format("{}", fmt::join(kept, " "));
}

std::string ShardText(const ShardInfo& s) {
  return s.Launched() ? fmt::format("shard {} of job '{}'", s.index, s.job_id) : "no shard";
}

}  // namespace

std::string ReadDocumentText(const std::string& path) {
  return ReadInputFile(path, kMaxDocumentBytes);
}

std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs) {
  if (inputs.empty()) throw UsageError("fleet: no documents given");
  std::vector<std::string> paths;
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (!fs::is_directory(input, ec)) {
      paths.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (const fs::directory_entry& e : fs::directory_iterator(input, ec)) {
      if (e.path().extension() == ".json") found.push_back(e.path().string());
    }
    if (ec) throw UsageError("cannot list '" + input + "': " + ec.message());
    if (found.empty()) throw UsageError("fleet: the folder '" + input + "' has no .json files");
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  return paths;
}

std::string MemberLabel(const RunContextInfo& context) {
  const ShardInfo& s = context.shard;
  const std::string node = s.node.empty() ? context.hostname : s.node;
  return s.Launched() ? fmt::format("{}#{}", node, s.index) : node;
}

std::string GroupKey(const RunContextInfo& c) {
  return fmt::format("{} | {} CPUs | governor {} | {} {} | {}", c.cpu_model, c.logical_cpus,
                     c.governor.empty() ? "n/a" : c.governor, c.version, c.build_type,
                     Settings(c.argv));
}

void CheckFleet(const Fleet& fleet) {
  if (fleet.members.empty()) throw UsageError("fleet: no documents to merge");
  std::map<std::string, std::string> by_label;  // label -> path
  struct Job {
    int count = -1;
    std::map<int, std::string> shards;  // index -> path
  };
  std::map<std::string, Job> jobs;
  for (const report::ResultsDocument& d : fleet.members) {
    const std::string label = MemberLabel(d.context);
    const auto [it, fresh] = by_label.emplace(label, d.path);
    if (!fresh) {
      throw UsageError(fmt::format("fleet: '{}' and '{}' come from the same node '{}' ({})",
                                   it->second, d.path, d.context.shard.node,
                                   ShardText(d.context.shard)));
    }
    const ShardInfo& s = d.context.shard;
    if (!s.Launched()) continue;
    Job& job = jobs[s.job_id];
    if (job.count >= 0 && job.count != s.count) {
      throw UsageError(fmt::format("fleet: job '{}' has shard counts {} and {} ('{}')", s.job_id,
                                   job.count, s.count, d.path));
    }
    job.count = s.count;
    const auto [shard, new_shard] = job.shards.emplace(s.index, d.path);
    if (!new_shard) {
      throw UsageError(fmt::format("fleet: shard {} of job '{}' appears twice: '{}' and '{}'",
                                   s.index, s.job_id, shard->second, d.path));
    }
  }
  for (const auto& [id, job] : jobs) {
    for (int i = 0; i < job.count; ++i) {
      if (job.shards.count(i) == 0) {
        throw UsageError(
            fmt::format("fleet: shard {} of {} of job '{}' is missing", i, job.count, id));
      }
    }
  }
}

Fleet MergeFiles(const std::vector<std::string>& paths) {
  Fleet fleet;
  for (const std::string& path : paths) {
    const std::string text = ReadDocumentText(path);
    if (IsFleetText(text)) {
      throw UsageError("fleet: '" + path + "' is already a fleet document; merge run documents");
    }
    fleet.members.push_back(report::ParseResultsDocument(text, path));
  }
  CheckFleet(fleet);
  return fleet;
}

bool IsFleetText(const std::string& text) {
  const report::Json doc = report::Json::parse(text, nullptr, false);
  return !doc.is_discarded() && doc.is_object() && doc.contains("kind") &&
         doc["kind"] == kFleetKind;
}

Fleet ParseFleet(const std::string& text, const std::string& path) {
  const report::Json doc = report::Json::parse(text, nullptr, false);
  const std::string where = "'" + path + "'";
  if (doc.is_discarded() || !doc.is_object() || doc.value("kind", "") != kFleetKind) {
    throw UsageError(where + " is not a fleet document (write one with 'sysbench fleet merge')");
  }
  if (doc.value("schema_version", 0) != report::kSchemaVersion) {
    throw UsageError(fmt::format("{} has fleet schema_version {}; this sysbench reads {}", where,
                                 doc.value("schema_version", 0), report::kSchemaVersion));
  }
  if (!doc.contains("members") || !doc["members"].is_array()) {
    throw UsageError(where + " has no \"members\" array");
  }
  Fleet fleet;
  for (const report::Json& m : doc["members"]) {
    if (!m.is_object() || !m.contains("document")) {
      throw UsageError(where + ": a member without \"document\"");
    }
    const std::string source = m.value("source", path);
    fleet.members.push_back(report::ParseResultsDocument(m["document"].dump(), source));
  }
  CheckFleet(fleet);
  return fleet;
}

void WriteFleet(const Fleet& fleet, std::ostream& out) {
  report::Json members = report::Json::array();
  for (const report::ResultsDocument& d : fleet.members) {
    report::Json results = report::Json::array();
    for (const Result& r : d.results) results.push_back(report::ResultToJson(r));
    members.push_back(report::Json{{"source", d.path},
                                   {"label", MemberLabel(d.context)},
                                   {"group", GroupKey(d.context)},
                                   {"document",
                                    {{"schema_version", report::kSchemaVersion},
                                     {"context", report::ContextToJson(d.context)},
                                     {"results", results}}}});
  }
  report::Json doc{
      {"schema_version", report::kSchemaVersion}, {"kind", kFleetKind}, {"members", members}};
  out << doc.dump(2, ' ', false, report::Json::error_handler_t::replace) << '\n';
}

}  // namespace sysbench::fleet
