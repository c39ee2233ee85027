// The concrete reporters; MakeReporter (reporter_factory.cc) picks one by name.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "sysbench/chart_spec.h"
#include "sysbench/reporter.h"

namespace sysbench::report {

std::unique_ptr<Reporter> MakeTextReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeTsvReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeCsvReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJsonReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJsonLinesReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeMarkdownReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeGbenchJsonReporter(std::ostream& out);
// The chart specs of a command, by name (ChartsOf: from the topics; tests pass their own).
using ChartsLookup = std::function<const std::vector<ChartSpec>&(std::string_view command)>;
std::unique_ptr<Reporter> MakeHtmlReporter(std::ostream& out, ChartsLookup charts = ChartsOf);
// The metric and params a chart needs (metric, x_param, reference_metric) that no unskipped result
// has: a renamed metric shows here (and in the suite test) instead of silently dropping a chart.
std::vector<std::string> ChartFieldsMissing(const ChartSpec& spec,
                                            const std::vector<Result>& results);

}  // namespace sysbench::report
