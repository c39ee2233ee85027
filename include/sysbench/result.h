// Plain result records: what every command produces and every reporter consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "sysbench/stats.h"

namespace sysbench {

enum class Better { kNone, kHigher, kLower };

// Where a number comes from: timed here, looked up (sysfs, cpuid, numeric_limits), or computed
// from other numbers or by a deterministic probe.
enum class Source { kMeasured, kLookedUp, kComputed };

// Integers are kept exact (uint64 max does not fit a double); facts that are not numbers are text.
using MetricValue = std::variant<double, std::int64_t, std::uint64_t, std::string>;

struct Metric {
  std::string name;  // stable: scripts and the compare gate rely on it
  MetricValue value;
  std::string unit;  // "GFLOP/s", "ns", "B", "" for plain counts and facts
  Better better = Better::kNone;
  Source source = Source::kMeasured;
};

// Metrics by kind, so that where a number comes from reads at the call site.
// Timed here (a percentile, a per-op time, a resident share): the unit and which way is better.
Metric Measured(std::string name, MetricValue value, std::string unit,
                Better better = Better::kNone);
// Counted by the system while measuring (page faults, lost updates, messages): an exact integer.
Metric Count(std::string name, std::uint64_t value, Better better = Better::kNone);
// A fact, neither better nor worse, from `source` (for facts looked up on one machine and computed
// on another).
Metric Fact(std::string name, MetricValue value, Source source, std::string unit = "");
// Looked up (sysfs, cpuid, numeric_limits): a fact.
Metric LookedUp(std::string name, MetricValue value, std::string unit = "");
// Computed from other numbers or by a deterministic check (ratios, expected totals, verdicts).
Metric Computed(std::string name, MetricValue value, std::string unit = "",
                Better better = Better::kNone);

struct Sample {
  double seconds = 0;
  std::uint64_t iterations = 0;
};

// What the rest of the machine did while a case ran, sampled from /proc/stat around it: CPU time
// of other processes (in CPUs, 0 .. logical CPUs) and time the hypervisor stole (percent).
struct Contention {
  double other_cpus = 0;
  double steal_pct = 0;
};
// A case is contended when others kept at least half a CPU busy, or the hypervisor stole 5%.
inline constexpr double kContendedOtherCpus = 0.5;
inline constexpr double kContendedStealPercent = 5;

struct Result {
  Result() = default;
  Result(std::string command_name, std::string case_name)
      : command(std::move(command_name)), case_id(std::move(case_name)) {}

  std::string command;  // "flops"
  std::string case_id;  // stable id, e.g. "fma/f32/avx512/threads=1"
  std::vector<std::pair<std::string, std::string>> params;
  std::vector<Metric> metrics;
  // Raw per-batch values of the metric named by samples_metric (its value is their median).
  std::vector<double> samples;
  std::string samples_metric;
  std::optional<std::string> skipped;  // why this case did not run
  int run = 0;  // 1..N in a document of N runs (`all --runs N`), 0 in a single run
  std::optional<Contention> contention;

  Result& Param(std::string key, std::string value);
  Result& Add(Metric metric);
  // Adds the metric whose value is the median of per-batch values, and keeps those values.
  Result& AddSampled(std::string name, std::vector<double> values, std::string unit, Better better);

  const Metric* Find(const std::string& name) const;
  // Summary of samples (n == 0 when there are none).
  Summary SampleSummary() const;
  bool Unstable() const;
  bool Contended() const;
};

const char* ToString(Better better);
const char* ToString(Source source);
// Numeric view of a value: NaN for text.
double AsDouble(const MetricValue& value);

}  // namespace sysbench
