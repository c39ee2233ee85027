// Aligned tables for people, one per command, printed when the run ends.
#include <algorithm>
#include <string>
#include <vector>

#include "report/reporters.h"
#include "report/table.h"

namespace sysbench::report {
namespace {

constexpr std::size_t kValueColumn = 3;
constexpr std::size_t kMaxTextValueWidth = 28;

bool LooksNumeric(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789.-+eEinfa") == std::string::npos;
}

class TextReporter final : public Reporter {
 public:
  explicit TextReporter(std::ostream& out) : out_(out) {}

  void Report(const Result& result) override {
    for (Row& row : Rows(result, ValueStyle::kHuman)) rows_.push_back(std::move(row));
  }

  void End() override {
    std::size_t begin = 0;
    while (begin < rows_.size()) {
      std::size_t end = begin;
      while (end < rows_.size() && rows_[end].command == rows_[begin].command) ++end;
      if (begin != 0) out_ << '\n';
      PrintGroup(begin, end);
      begin = end;
    }
    out_.flush();
  }

 private:
  void PrintGroup(std::size_t begin, std::size_t end) {
    const std::vector<std::string> header = {"case", "metric", "source", "value",
                                             "unit", "spread", "note"};
    std::vector<std::vector<std::string>> lines;
    std::string last_case;
    for (std::size_t i = begin; i < end; ++i) {
      const Row& r = rows_[i];
      const bool same_case = i != begin && r.case_id == last_case;
      last_case = r.case_id;
      lines.push_back(
          {same_case ? "" : r.case_id, r.metric, r.source, r.value, r.unit, r.spread, r.note});
    }
    std::vector<std::size_t> width(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
    for (const auto& line : lines) {
      for (std::size_t c = 0; c < line.size(); ++c) {
        // Long text facts (a list of ISA extensions) spill over instead of widening every row.
        if (c == kValueColumn && !LooksNumeric(line[c]) && line[c].size() > kMaxTextValueWidth) {
          continue;
        }
        width[c] = std::max(width[c], line[c].size());
      }
    }
    out_ << "# " << rows_[begin].command << '\n';
    PrintLine(header, width);
    for (const auto& line : lines) PrintLine(line, width);
  }

  void PrintLine(const std::vector<std::string>& cells, const std::vector<std::size_t>& width) {
    std::string line;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::size_t pad = width[c] > cells[c].size() ? width[c] - cells[c].size() : 0;
      if (c == kValueColumn && LooksNumeric(cells[c])) {
        line += std::string(pad, ' ') + cells[c];
      } else {
        line += cells[c] + std::string(pad, ' ');
      }
      if (c + 1 != cells.size()) line += "  ";
    }
    line.erase(line.find_last_not_of(' ') + 1);
    out_ << line << '\n';
  }

  std::ostream& out_;
  std::vector<Row> rows_;
};

}  // namespace

std::unique_ptr<Reporter> MakeTextReporter(std::ostream& out) {
  return std::make_unique<TextReporter>(out);
}

}  // namespace sysbench::report
