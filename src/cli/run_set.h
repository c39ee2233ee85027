// The replicates of the CI gate: a set of whole runs of the suite, read from json documents.
#pragma once

#include <string>
#include <vector>

#include "report/results_reader.h"

namespace sysbench {

struct RunSet {
  std::string label;       // the path as given, or "this run"
  RunContextInfo context;  // of the first run
  std::vector<std::vector<Result>> runs;
};

// At most this many documents are read from a folder.
inline constexpr std::size_t kMaxRunFiles = 100;

// One document's runs: results grouped by their "run" field (`all --runs N`), or one run when
// the document has none.
RunSet SplitRuns(report::ResultsDocument document);

// PATH is a json document (one run, or N runs from `all --runs N`) or a folder of such documents
// (every *.json in it, in name order). Throws UsageError for anything the reader rejects, an empty
// folder, and runs made on different machines (CPU model or logical CPU count differ: their spread
// would not be the noise of one machine).
RunSet ReadRunSet(const std::string& path);

// Throws UsageError naming `label` when the runs were made on different machines.
void CheckOneMachine(const std::vector<RunContextInfo>& contexts, const std::string& label);

}  // namespace sysbench
