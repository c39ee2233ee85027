#include <functional>
#include <utility>

#include "report/reporters.h"
#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

using Factory = std::function<std::unique_ptr<Reporter>(std::ostream&)>;

const std::vector<std::pair<std::string, Factory>>& Factories() {
  static const std::vector<std::pair<std::string, Factory>> factories = {
      {"text", report::MakeTextReporter},
      {"tsv", report::MakeTsvReporter},
      {"csv", report::MakeCsvReporter},
      {"json", report::MakeJsonReporter},
      {"jsonl", report::MakeJsonLinesReporter},
      {"markdown", report::MakeMarkdownReporter},
      {"gbench-json", report::MakeGbenchJsonReporter},
      {"html", [](std::ostream& out) { return report::MakeHtmlReporter(out); }},
  };
  return factories;
}

}  // namespace

const std::vector<std::string>& ReporterFormats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> list;
    for (const auto& entry : Factories()) list.push_back(entry.first);
    return list;
  }();
  return names;
}

std::unique_ptr<Reporter> MakeReporter(const std::string& format, std::ostream& out) {
  for (const auto& [name, factory] : Factories()) {
    if (name == format) return factory(out);
  }
  throw UsageError("--format '" + format + "' is not one of: " + Join(ReporterFormats(), ", "));
}

}  // namespace sysbench
