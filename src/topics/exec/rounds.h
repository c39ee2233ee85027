// Sampling in rounds for `sysbench exec`, and the ratios between ways taken from those rounds.
// Each sample keeps two clocks: the wall time from the workers' common start to the last one's
// end (what a user waits for: speed-ups are made of it), and the CPU time the workers themselves
// ran (what the way costs: time spent waiting for a CPU that other load holds is not in it, so
// slowdowns are made of it). Their gap says whether a sample's workers had their CPUs: a worker
// that computes without blocking runs for the whole wall unless something else holds its CPU
// (another process, or the hypervisor: stolen time is not a thread's CPU time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sysbench/runner.h"

namespace sysbench {

struct SampleClocks {
  double wall = 0;       // seconds
  double cpu = 0;        // seconds, summed over the workers
  double cpu_least = 0;  // seconds, of the worker that ran least
};

// The share of the wall a sample's workers had their CPUs: the CPU time of the worker that ran
// least over the wall; for workers that take turns under one lock (CPython threads under the
// GIL: at most one runs), the team's CPU time over the wall.
double CpuShare(const SampleClocks& clocks, bool take_turns);

// A sample whose share is under this lost more than 5% of its wall to waiting for a CPU: a
// speed-up taken from it says how busy the machine was, not what the way does.
inline constexpr double kMinCpuShare = 0.95;

// Rounds that must have had their CPUs, of `planned`, for a wall-time ratio to stand unflagged:
// a third, at least 3 (all when fewer are planned). Enough for a median that one odd round does
// not move.
int RoundsNeeded(int planned);

// Runs a batch of `iterations` and returns its clocks.
using DualBatchFn = std::function<SampleClocks(std::uint64_t iterations)>;

struct BatchSamples {
  std::uint64_t iterations = 0;      // of every sample: the calibrated batch size
  std::vector<SampleClocks> rounds;  // one sample per round
};

// Calibrates each batch alone on its wall time (timing's min_time and warmup), then takes
// timing.repetitions rounds with one sample of every batch per round, so that load which comes
// and goes touches every batch of a round alike. `after_round` runs after each round (untimed
// here: it takes its own samples, of the same round) and says whether its samples had their
// CPUs. A round is whole when every sample in it had (the batches' workers never block, so the
// least-served worker's share decides). While fewer than RoundsNeeded(timing.repetitions)
// rounds were whole, up to `extra_rounds` more are taken.
std::vector<BatchSamples> MeasureRounds(const TimingOptions& timing,
                                        const std::vector<DualBatchFn>& batches, int extra_rounds,
                                        const std::function<bool()>& after_round = {});

// Per-round values of one case: per-operation wall and CPU nanoseconds, the share of the wall
// its workers had their CPUs (CpuShare; empty: always had), and the rounds they were taken in
// (cases with the same `round_set` were sampled in the same rounds, one value each).
struct RoundSeries {
  int round_set = 0;
  std::vector<double> wall_ns;
  std::vector<double> cpu_ns;
  std::vector<double> cpu_share;

  bool HadCpus(std::size_t round) const {
    return round >= cpu_share.size() || cpu_share[round] >= kMinCpuShare;
  }
};

enum class RatioClock { kCpu, kWall };

struct RoundRatio {
  double value = 0;       // the median of the per-round ratios used
  double spread_pct = 0;  // their median absolute deviation from it, in percent (as `spread`)
  bool paired = false;    // true: numerator and denominator were taken round by round together
  int rounds_taken = 0;
  int rounds_with_cpus = 0;  // in which both sides had their CPUs
  int rounds_used = 0;       // whose per-round ratios the value is the median of
  double least_share = 1;    // the lowest CpuShare of either side in the other rounds
  // False when fewer rounds than needed had both sides on their CPUs: a wall-time ratio is then
  // the median of those few (of all rounds where none), a CPU-time one of all rounds.
  bool had_cpus = true;
  // A wall-time ratio from no round in which both sides had their CPUs: what other load left of
  // the way, not the way. Its value is kept here but not reported.
  bool withheld = false;
};

// numerator / denominator of the chosen clock. Paired round by round when both series were
// sampled in the same rounds (the ratio of what each round measured, so a slow round slows both
// sides); otherwise each numerator sample over the denominator's median. Both take the rounds in
// which both sides had their CPUs, and need `rounds_needed` of them (RoundsNeeded), or are
// flagged (had_cpus). Short of them, a CPU-time ratio, which does not count the waits, falls back
// on every round (a worker that lost its CPU only finds its caches colder when it comes back).
RoundRatio RatioOf(const RoundSeries& numerator, const RoundSeries& denominator, RatioClock clock,
                   int rounds_needed = 1);

}  // namespace sysbench
