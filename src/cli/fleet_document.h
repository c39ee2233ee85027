// The fleet document: the json runs of many nodes (or tasks) in one file, checked for
// completeness against the shard contract.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/results_reader.h"

namespace sysbench::fleet {

struct Fleet {
  std::vector<report::ResultsDocument> members;  // in the order given (folders: by name)
};

// The one place the fleet reads a file (regular files only, up to a size limit).
std::string ReadDocumentText(const std::string& path);

// Files as given; a folder stands for its *.json files, sorted by name. Throws UsageError for an
// empty list or a folder without json files.
std::vector<std::string> ExpandInputs(const std::vector<std::string>& inputs);

// Reads run documents (not fleets), checks them with CheckFleet and returns the fleet.
Fleet MergeFiles(const std::vector<std::string>& paths);

// Throws UsageError for two documents from the same node and shard, a shard index that appears
// twice in one job, a job whose shard counts disagree, and a job with a missing shard (named).
void CheckFleet(const Fleet& fleet);

bool IsFleetText(const std::string& text);
Fleet ParseFleet(const std::string& text, const std::string& path);
void WriteFleet(const Fleet& fleet, std::ostream& out);

// How a member is named in reports: its node, with "#index" when the launcher gave a shard.
std::string MemberLabel(const RunContextInfo& context);
// Members with the same CPU model, CPU count, governor and sysbench options share a group.
std::string GroupKey(const RunContextInfo& context);

}  // namespace sysbench::fleet
