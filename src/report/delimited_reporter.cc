// tsv and csv: a header line, then one row per result x metric (long form).
#include <string>

#include "report/reporters.h"
#include "report/table.h"

namespace sysbench::report {
namespace {

class DelimitedReporter final : public Reporter {
 public:
  DelimitedReporter(std::ostream& out, char separator) : out_(out), separator_(separator) {}

  // The header goes out with the first row (or at the end), so a run that fails on bad input
  // before measuring anything writes nothing to stdout.
  void Report(const Result& result) override {
    WriteHeaderOnce();
    for (const Row& row : Rows(result, ValueStyle::kExact)) WriteLine(Cells(row));
    out_.flush();
  }

  void End() override {
    WriteHeaderOnce();
    out_.flush();
  }

 private:
  void WriteHeaderOnce() {
    if (header_written_) return;
    header_written_ = true;
    WriteLine(ColumnNames());
  }

  void WriteLine(const std::vector<std::string>& cells) {
    WriteDelimitedLine(cells, separator_, out_);
  }

  std::ostream& out_;
  char separator_;
  bool header_written_ = false;
};

}  // namespace

std::unique_ptr<Reporter> MakeTsvReporter(std::ostream& out) {
  return std::make_unique<DelimitedReporter>(out, '\t');
}

std::unique_ptr<Reporter> MakeCsvReporter(std::ostream& out) {
  return std::make_unique<DelimitedReporter>(out, ',');
}

}  // namespace sysbench::report
