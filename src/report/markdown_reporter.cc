// GitHub-flavoured markdown: one table per command, ready to paste into a CI comment.
#include <string>
#include <vector>

#include "report/reporters.h"
#include "report/table.h"

namespace sysbench::report {
namespace {

class MarkdownReporter final : public Reporter {
 public:
  explicit MarkdownReporter(std::ostream& out) : out_(out) {}

  void Report(const Result& result) override {
    for (Row& row : Rows(result, ValueStyle::kHuman)) rows_.push_back(std::move(row));
  }

  void End() override {
    std::string command;
    for (const Row& r : rows_) {
      if (r.command != command) {
        if (!command.empty()) out_ << '\n';
        command = r.command;
        out_ << "### " << command << "\n\n"
             << "| case | metric | value | unit | spread | source | note |\n"
             << "|---|---|--:|---|--:|---|---|\n";
      }
      out_ << "| " << MarkdownCell(r.case_id) << " | " << MarkdownCell(r.metric) << " | "
           << MarkdownCell(r.value) << " | " << MarkdownCell(r.unit) << " | " << r.spread << " | "
           << r.source << " | " << MarkdownCell(r.note) << " |\n";
    }
    out_.flush();
  }

 private:
  std::ostream& out_;
  std::vector<Row> rows_;
};

}  // namespace

std::unique_ptr<Reporter> MakeMarkdownReporter(std::ostream& out) {
  return std::make_unique<MarkdownReporter>(out);
}

}  // namespace sysbench::report
