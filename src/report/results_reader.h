// Reading a `--format json` document back into results (for compare and report).
#pragma once

#include <string>
#include <vector>

#include "sysbench/reporter.h"
#include "sysbench/result.h"

namespace sysbench::report {

// `all --runs N` accepts N up to this; a document's "run" fields must stay within it.
inline constexpr int kMaxRunsPerDocument = 100;

struct ResultsDocument {
  std::string path;
  RunContextInfo context;
  std::vector<Result> results;
};

// Throws UsageError naming the file for a missing or unreadable file, text that is not JSON (a
// truncated file), a document without schema_version 1, or results of the wrong shape.
ResultsDocument ReadResultsFile(const std::string& path);
ResultsDocument ParseResultsDocument(const std::string& text, const std::string& path);

}  // namespace sysbench::report
