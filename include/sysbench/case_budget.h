// A time cap per case: a command's loop of samples or passes stops taking more once the case has
// run kCaseBudgetSeconds (keeping what it has, at least one), so that no option value (huge
// repetitions, a huge file, tiny buffers) can make one case run for minutes.
#pragma once

#include <string>

#include "sysbench/clock.h"

namespace sysbench {

constexpr double kCaseBudgetSeconds = 30.0;

class CaseBudget {
 public:
  explicit CaseBudget(double seconds = kCaseBudgetSeconds)
      : seconds_(seconds), start_(SteadyClock::now()) {}
  // True once the case has run its budget.
  bool Spent() const { return SecondsBetween(start_, SteadyClock::now()) >= seconds_; }
  // The note a command prints when it stopped early: "WHAT: stopped after KEPT of ASKED ...".
  std::string Note(const std::string& what, long kept, long asked) const {
    return what + ": stopped after " + std::to_string(kept) + " of " + std::to_string(asked) +
           " samples, at the time cap of " + std::to_string(static_cast<long>(seconds_)) +
           " s per case";
  }

 private:
  double seconds_;
  SteadyClock::time_point start_;
};

}  // namespace sysbench
