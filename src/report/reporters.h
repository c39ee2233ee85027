// The concrete reporters; MakeReporter (reporter_factory.cc) picks one by name.
#pragma once

#include <memory>
#include <ostream>

#include "sysbench/reporter.h"

namespace sysbench::report {

std::unique_ptr<Reporter> MakeTextReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeTsvReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeCsvReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJsonReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeJsonLinesReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeMarkdownReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeGbenchJsonReporter(std::ostream& out);
std::unique_ptr<Reporter> MakeHtmlReporter(std::ostream& out);

}  // namespace sysbench::report
