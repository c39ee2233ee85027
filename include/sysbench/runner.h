// Warm up, calibrate a batch size, repeat, and keep every raw sample.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "sysbench/case_budget.h"
#include "sysbench/result.h"

namespace sysbench {

struct TimingOptions {
  int repetitions = 10;
  double min_time = 0.1;  // a batch lasts at least this long
  double warmup = 0.1;
  std::uint64_t max_iterations = std::uint64_t{1} << 40;
  double case_budget_seconds = kCaseBudgetSeconds;  // sampling stops there, keeping >= 1 sample
};

// One value for normal runs and one for --quick runs.
template <typename T>
struct ByMode {
  T normal{};
  T quick{};
  T For(bool quick_run) const { return quick_run ? quick : normal; }
};

// A command's own defaults for the global timing options, declared as data, e.g.
//   constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3}};
// RunContext::Timing applies them: a value the user gave (--repetitions, --min-time, --warmup)
// always wins, and a field left empty keeps the global default (RunConfig).
struct TimingDefaults {
  std::optional<ByMode<int>> repetitions = std::nullopt;
  std::optional<ByMode<double>> min_time = std::nullopt;
  std::optional<ByMode<double>> warmup = std::nullopt;
};

// Runs the body `iterations` times and lets the runner time it.
using BatchFn = std::function<void(std::uint64_t iterations)>;
// Runs the body `iterations` times and returns the seconds it measured itself (for batches with
// untimed set-up, or several threads timed from one barrier).
using TimedBatchFn = std::function<double(std::uint64_t iterations)>;

class Notes;

class Runner {
 public:
  // With `notes`, a case cut short by the time cap per case (sysbench/case_budget.h) says so.
  explicit Runner(TimingOptions options, Notes* notes = nullptr)
      : options_(options), notes_(notes) {}

  const TimingOptions& Options() const { return options_; }

  // Warm-up and calibration first (not kept), then Options().repetitions samples.
  std::vector<Sample> Measure(const BatchFn& batch) const;
  std::vector<Sample> MeasureTimed(const TimedBatchFn& batch) const;
  // Only the calibration and warm-up of MeasureTimed: grows the batch until it lasts min_time
  // (and 1000 clock steps), runs it until the warm-up time is spent, returns the batch size.
  std::uint64_t Calibrate(const TimedBatchFn& batch) const;
  // No calibration: every sample runs exactly `iterations` (for costly, fixed-size passes).
  // Every Measure stops sampling at the time cap per case, keeping at least one sample.
  std::vector<Sample> MeasureFixed(const TimedBatchFn& batch, std::uint64_t iterations) const;

 private:
  TimingOptions options_;
  Notes* notes_;
};

// Per-sample rates: units_per_iteration * iterations / seconds / scale.
std::vector<double> Rates(const std::vector<Sample>& samples, double units_per_iteration,
                          double scale = 1.0);
// Per-sample durations of one iteration: seconds / iterations * scale (scale 1e9 gives ns).
std::vector<double> PerIteration(const std::vector<Sample>& samples, double scale = 1e9);

}  // namespace sysbench
