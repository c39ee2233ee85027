// `sysbench compare BASELINE CURRENT`: the CI regression gate, and `all --baseline`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "report/results_reader.h"
#include "sysbench/notes.h"

namespace sysbench {

struct CompareOptions {
  double threshold_pct = 5;  // a change smaller than this is "same"
  double alpha = 0.05;       // a change is significant when the U test's p < alpha
  bool strict_env = false;   // a different environment is an error instead of a warning
};

enum class Verdict { kRegressed, kImproved, kSame, kNotSignificant, kUntested, kNoDirection };
const char* ToString(Verdict verdict);

struct ComparisonRow {
  std::string command, case_id, metric, unit;
  Better better = Better::kNone;
  double baseline = 0, current = 0;
  double change_pct = 0;          // (current - baseline) / |baseline| x 100
  std::optional<double> p_value;  // when both sides kept raw samples of this metric
  std::size_t n_baseline = 0, n_current = 0;
  Verdict verdict = Verdict::kSame;
};

struct Comparison {
  std::string baseline_path, current_path;
  CompareOptions options;
  std::vector<ComparisonRow> rows;
  std::size_t only_in_baseline = 0, only_in_current = 0;
  std::vector<std::string> environment_differences;
  std::size_t Count(Verdict verdict) const;
};

// "5%", "5", "0.5%": a percentage in [0, 1000]. Throws UsageError naming the option.
double ParseThreshold(const std::string& text, const std::string& option);

// What differs between two runs' surroundings: CPU model, measured clock beyond 5%, build type,
// sysbench version. Empty when nothing does.
std::vector<std::string> EnvironmentDifferences(const RunContextInfo& baseline,
                                                const RunContextInfo& current);

// Matches results by command + case + metric. Every numeric metric that is measured or has a
// direction is compared.
Comparison Compare(const report::ResultsDocument& baseline, const report::ResultsDocument& current,
                   const CompareOptions& options);

// The formats compare can write (not html or gbench-json).
const std::vector<std::string>& ComparisonFormats();
// Throws UsageError for a format compare cannot write.
void CheckComparisonFormat(const std::string& format);
void WriteComparison(const Comparison& comparison, const std::string& format, std::ostream& out);

// The whole gate after the two documents are loaded: environment check (warning or, with
// strict_env, UsageError), "no common results" (UsageError), the report on `out`, one stderr line
// naming the regressed cases; returns 1 when anything regressed, else 0.
int FinishComparison(const report::ResultsDocument& baseline,
                     const report::ResultsDocument& current, const CompareOptions& options,
                     const std::string& format, std::ostream& out, Notes& notes, std::ostream& err);

}  // namespace sysbench
