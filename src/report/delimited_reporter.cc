// tsv and csv: a header line, then one row per result x metric (long form).
#include <string>

#include "report/reporters.h"
#include "report/table.h"

namespace sysbench::report {
namespace {

// TSV cannot quote: tabs and newlines inside a field become spaces.
std::string TsvField(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return text;
}

// RFC 4180: quote fields holding a comma, quote or line break; double the quotes.
std::string CsvField(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

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
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i != 0) out_ << separator_;
      out_ << (separator_ == '\t' ? TsvField(cells[i]) : CsvField(cells[i]));
    }
    out_ << '\n';
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
