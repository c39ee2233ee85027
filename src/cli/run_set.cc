#include "cli/run_set.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "sysbench/error.h"

namespace sysbench {

RunSet SplitRuns(report::ResultsDocument document) {
  RunSet set;
  set.label = document.path;
  set.context = document.context;
  std::map<int, std::vector<Result>> by_run;
  for (Result& r : document.results) by_run[r.run].push_back(std::move(r));
  for (auto& [run, results] : by_run) set.runs.push_back(std::move(results));
  if (set.runs.empty()) set.runs.emplace_back();
  return set;
}

void CheckOneMachine(const std::vector<RunContextInfo>& contexts, const std::string& label) {
  for (const RunContextInfo& c : contexts) {
    const RunContextInfo& first = contexts.front();
    if (c.cpu_model != first.cpu_model || c.logical_cpus != first.logical_cpus) {
      throw UsageError("'" + label + "' holds runs from different machines ('" + first.cpu_model +
                       "', " + std::to_string(first.logical_cpus) + " CPUs vs '" + c.cpu_model +
                       "', " + std::to_string(c.logical_cpus) +
                       " CPUs): the spread between them is not one machine's noise");
    }
  }
}

RunSet ReadRunSet(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return SplitRuns(report::ReadResultsFile(path));
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(path, ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path().string());
    if (files.size() > kMaxRunFiles) {
      throw UsageError("folder '" + path + "' holds more than " + std::to_string(kMaxRunFiles) +
                       " json files; keep the runs of one baseline in a folder of their own");
    }
  }
  if (ec) throw UsageError("cannot read folder '" + path + "': " + ec.message());
  if (files.empty()) throw UsageError("folder '" + path + "' holds no *.json run");
  std::sort(files.begin(), files.end());
  RunSet set;
  set.label = path;
  std::vector<RunContextInfo> contexts;
  for (const std::string& file : files) {
    RunSet one = SplitRuns(report::ReadResultsFile(file));
    if (contexts.empty()) set.context = one.context;
    contexts.push_back(one.context);
    for (auto& run : one.runs) set.runs.push_back(std::move(run));
  }
  CheckOneMachine(contexts, path);
  return set;
}

}  // namespace sysbench
