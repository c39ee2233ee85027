// `sysbench compare BASELINE CURRENT`: the CI regression gate, and `all --baseline`.
#pragma once

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "cli/run_set.h"
#include "sysbench/notes.h"

namespace sysbench {

struct CompareOptions {
  double threshold_pct = 5;       // a change must also be larger than this to fail the gate
  double alpha = 0.05;            // family-wise error rate over the gated rows (Holm)
  double power = 0.8;             // for the detectable change (the gate's resolution)
  std::string gate = "headline";  // "headline", "all", or a list of command[:metric]
  bool strict_env = false;        // a different environment is an error instead of a warning
};

enum class Verdict { kRegressed, kImproved, kSame, kNotSignificant, kUntested, kNoDirection };
const char* ToString(Verdict verdict);

struct ComparisonRow {
  std::string command, case_id, metric, unit;
  Better better = Better::kNone;
  bool headline = false;             // the geometric mean of the metric over the command's cases
  bool gated = false;                // can fail the gate
  double baseline = 0, current = 0;  // geometric means of the per-run values
  double change_pct = 0;             // current / baseline - 1, in percent
  std::size_t n_baseline = 0, n_current = 0;  // runs holding the metric
  std::optional<double> p_value;              // pooled t test on the per-run values (log scale)
  std::optional<double> adjusted_p;           // Holm over the gated rows, or over the other rows
  std::optional<double> noise_pct;            // between-run spread (pooled standard deviation)
  std::optional<double> mde_pct;  // the smallest change the test detects (power `power`)
  bool contended = false;         // a current run of this case ran beside other load
  Verdict verdict = Verdict::kSame;
};

struct Comparison {
  std::string baseline_label, current_label;
  std::size_t baseline_runs = 0, current_runs = 0;
  CompareOptions options;
  std::vector<ComparisonRow> rows;
  std::size_t only_in_baseline = 0, only_in_current = 0;
  std::vector<std::string> environment_differences;
  std::size_t Count(Verdict verdict, bool gated_only = false) const;
  std::size_t GatedCount() const;
};

// "5%", "5", "0.5%": a percentage in [0, 1000]. Throws UsageError naming the option.
double ParseThreshold(const std::string& text, const std::string& option);

// The headline metrics per subcommand that the default gate tests (as a geometric mean over the
// command's cases): "flops:gflops", "latency:cycles_per_load", ...
const std::vector<std::string>& HeadlineMetrics();

// Throws UsageError naming the option when `gate` is not "headline", "all" or a list of
// command or command:metric items.
void CheckGate(const std::string& gate, const std::string& option);

// What differs between two runs' surroundings: CPU model, measured clock beyond 5%, build type,
// sysbench version. Empty when nothing does.
std::vector<std::string> EnvironmentDifferences(const RunContextInfo& baseline,
                                                const RunContextInfo& current);

// Matches results by command + case + metric over every run of both sets, adds the headline rows,
// tests each row between runs, corrects for the number of rows (Holm) and gives each its verdict.
// Every numeric metric that is measured or has a direction is compared.
Comparison Compare(const RunSet& baseline, const RunSet& current, const CompareOptions& options);

// The formats compare can write (not html or gbench-json).
const std::vector<std::string>& ComparisonFormats();
// Throws UsageError for a format compare cannot write.
void CheckComparisonFormat(const std::string& format);
void WriteComparison(const Comparison& comparison, const std::string& format, std::ostream& out);
// The markdown job summary for GitHub Actions ($GITHUB_STEP_SUMMARY): the verdict, the gated
// rows with their resolution, the other changed rows folded away.
void WriteJobSummary(const Comparison& comparison, std::ostream& out);

// Throws UsageError naming `option` unless `path` can be appended to: an existing file that is no
// folder and is writable, or a new name in a writable folder. Creates nothing.
void CheckAppendable(const std::string& path, const std::string& option);

// The whole gate after both run sets are loaded: a baseline of fewer than 2 runs (UsageError),
// environment check (warning or, with strict_env, UsageError), "no common results" (UsageError),
// the report on `out`, the job summary appended to `summary_path` when given, one stderr line
// naming the regressed gated rows; returns 1 when a gated row regressed, else 0.
int FinishComparison(const RunSet& baseline, const RunSet& current, const CompareOptions& options,
                     const std::string& format, const std::string& summary_path, std::ostream& out,
                     Notes& notes, std::ostream& err);

}  // namespace sysbench
