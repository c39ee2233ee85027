// Sampling in rounds for `sysbench exec`, and the ratios between ways taken from those rounds.
// Each sample keeps two clocks: the wall time from the workers' common start to the last one's
// end (what a user waits for: speed-ups are made of it), and the CPU time the workers themselves
// ran (what the way costs: time spent waiting for a CPU that other load holds is not in it, so
// slowdowns are made of it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sysbench/runner.h"

namespace sysbench {

struct ClockPair {
  double wall = 0;  // seconds
  double cpu = 0;   // seconds, summed over the workers
};

// Runs a batch of `iterations` and returns both clocks.
using DualBatchFn = std::function<ClockPair(std::uint64_t iterations)>;

struct BatchSamples {
  std::uint64_t iterations = 0;   // of every sample: the calibrated batch size
  std::vector<ClockPair> rounds;  // one sample per round
};

// Calibrates each batch alone on its wall time (timing's min_time and warmup), then takes
// timing.repetitions rounds with one sample of every batch per round, so that load which comes
// and goes touches every batch of a round alike. `after_round` runs after each round (untimed
// here: it takes its own samples, of the same round).
std::vector<BatchSamples> MeasureRounds(const TimingOptions& timing,
                                        const std::vector<DualBatchFn>& batches,
                                        const std::function<void()>& after_round = {});

// Per-round values of one case: per-operation wall and CPU nanoseconds, and the rounds they were
// taken in (cases with the same `round_set` were sampled in the same rounds, one value each).
struct RoundSeries {
  int round_set = 0;
  std::vector<double> wall_ns;
  std::vector<double> cpu_ns;
};

struct RoundRatio {
  double value = 0;       // the median of the per-round ratios
  double spread_pct = 0;  // their median absolute deviation from it, in percent (as `spread`)
  bool paired = false;    // true: numerator and denominator were taken round by round together
};

// numerator / denominator of the chosen clock. Paired round by round when both series were
// sampled in the same rounds (the ratio of what each round measured, so a slow round slows both
// sides); otherwise each numerator sample over the denominator's median.
RoundRatio RatioOf(const RoundSeries& numerator, const RoundSeries& denominator, bool use_cpu);

}  // namespace sysbench
