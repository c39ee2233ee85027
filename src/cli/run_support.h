// Pieces the CLI's run paths share: the sink that feeds the reporter, and its collecting variant.
#pragma once

#include <vector>

#include "sysbench/command.h"
#include "sysbench/contention.h"
#include "sysbench/reporter.h"
#include "sysbench/units.h"

namespace sysbench {

// Hands each result to the reporter as it finishes and says on stderr when one is unstable; keeps
// a copy when `keep` is given (for `all --baseline`). Each result is tagged with its run number
// (`all --runs N`) and with what other load did since the previous result (the case's contention).
class ReportingSink final : public ResultSink {
 public:
  ReportingSink(Reporter& reporter, Notes& notes, std::vector<Result>* keep = nullptr)
      : reporter_(reporter), notes_(notes), keep_(keep) {}

  void SetRun(int run) { run_ = run; }

  void Emit(Result result) override {
    notes_.Flush();
    result.run = run_;
    result.contention = probe_.Lap();
    if (result.Unstable()) {
      const Summary s = result.SampleSummary();
      notes_.Warn(result.command + " " + result.case_id + " is unstable (median deviation " +
                  FormatHuman(s.mdape) +
                  "%): other load, frequency changes or VM neighbours; try --repetitions 20 or "
                  "--cpus to pin");
    }
    reporter_.Report(result);
    if (keep_ != nullptr) keep_->push_back(std::move(result));
  }

 private:
  Reporter& reporter_;
  Notes& notes_;
  std::vector<Result>* keep_;
  int run_ = 0;
  ContentionProbe probe_;
};

// A reporter that writes nothing (for `all --baseline` without --save).
class NullReporter final : public Reporter {
 public:
  void Report(const Result&) override {}
};

// Formats whose context block includes the measured clock.
inline bool WantsMeasuredClock(const std::string& format) {
  return format == "json" || format == "gbench-json" || format == "html";
}

}  // namespace sysbench
