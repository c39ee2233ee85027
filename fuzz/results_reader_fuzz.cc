// libFuzzer target: the json run reader (what `compare`, `report` and `all --baseline` read) on
// arbitrary text, then every text reporter on what it accepted. Bad input must end in UsageError;
// any other exception, a crash or a sanitizer report is a finding.
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "report/reporters.h"
#include "report/results_reader.h"
#include "sysbench/error.h"

namespace {

const std::vector<sysbench::ChartSpec>& SomeCharts(std::string_view /*command*/) {
  static const std::vector<sysbench::ChartSpec> charts = [] {
    auto line = sysbench::ChartSpec::Line("line", "ns", "size_bytes", "size", {"kind"});
    line.bytes_x = true;
    line.markers = {{"l1", "L1"}};
    auto bars = sysbench::ChartSpec::Bars("bars", "gbps", {"kind"});
    bars.x_param = "size_bytes";
    bars.largest_x_only = true;
    bars.reference_metric = "peak";
    return std::vector<sysbench::ChartSpec>{line, bars};
  }();
  return charts;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  sysbench::report::ResultsDocument doc;
  try {
    doc = sysbench::report::ParseResultsDocument(text, "fuzz.json");
  } catch (const sysbench::UsageError&) {
    return 0;
  }
  namespace r = sysbench::report;
  std::ostringstream out;
  std::vector<std::unique_ptr<sysbench::Reporter>> reporters;
  reporters.push_back(r::MakeTextReporter(out));
  reporters.push_back(r::MakeCsvReporter(out));
  reporters.push_back(r::MakeMarkdownReporter(out));
  reporters.push_back(r::MakeJsonReporter(out));
  reporters.push_back(r::MakeHtmlReporter(out, SomeCharts));
  for (const auto& reporter : reporters) {
    reporter->Begin(doc.context);
    for (const sysbench::Result& result : doc.results) reporter->Report(result);
    reporter->End();
  }
  return 0;
}
