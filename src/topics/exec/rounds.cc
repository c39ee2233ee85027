#include "topics/exec/rounds.h"

#include <algorithm>

#include "sysbench/stats.h"

namespace sysbench {

double CpuShare(const SampleClocks& clocks, bool take_turns) {
  if (clocks.wall <= 0) return 0;
  return (take_turns ? clocks.cpu : clocks.cpu_least) / clocks.wall;
}

int RoundsNeeded(int planned) { return std::min(planned, std::max(3, (planned + 2) / 3)); }

std::vector<BatchSamples> MeasureRounds(const TimingOptions& timing,
                                        const std::vector<DualBatchFn>& batches, int extra_rounds,
                                        const std::function<bool()>& after_round) {
  TimingOptions calibration = timing;
  calibration.repetitions = 1;
  const Runner runner(calibration);
  std::vector<BatchSamples> samples(batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    samples[i].iterations = runner.Calibrate([&](std::uint64_t n) { return batches[i](n).wall; });
  }
  const int planned = std::max(timing.repetitions, 1);
  int whole = 0;
  for (int round = 0; round < planned || (whole < RoundsNeeded(planned) &&
                                          round < planned + std::max(extra_rounds, 0));
       ++round) {
    bool had_cpus = true;
    for (std::size_t i = 0; i < batches.size(); ++i) {
      samples[i].rounds.push_back(batches[i](samples[i].iterations));
      had_cpus = had_cpus && CpuShare(samples[i].rounds.back(), false) >= kMinCpuShare;
    }
    if (after_round) had_cpus = after_round() && had_cpus;
    if (had_cpus) ++whole;
  }
  return samples;
}

RoundRatio RatioOf(const RoundSeries& numerator, const RoundSeries& denominator, RatioClock clock,
                   int rounds_needed) {
  const bool wall = clock == RatioClock::kWall;
  const std::vector<double>& top = wall ? numerator.wall_ns : numerator.cpu_ns;
  const std::vector<double>& bottom = wall ? denominator.wall_ns : denominator.cpu_ns;
  RoundRatio ratio;
  if (top.empty() || bottom.empty()) return ratio;
  ratio.paired = numerator.round_set == denominator.round_set && top.size() == bottom.size();
  ratio.rounds_taken = static_cast<int>(top.size());
  // Unpaired, each numerator sample is divided by the median of the denominator's samples that
  // had their CPUs.
  std::vector<double> usable_bottom;
  for (std::size_t r = 0; r < bottom.size(); ++r) {
    if (denominator.HadCpus(r)) usable_bottom.push_back(bottom[r]);
  }
  const double bottom_median = usable_bottom.empty() ? Median(bottom) : Median(usable_bottom);
  std::vector<double> all, used;
  for (std::size_t r = 0; r < top.size(); ++r) {
    const double below = ratio.paired ? bottom[r] : bottom_median;
    if (below <= 0) continue;
    all.push_back(top[r] / below);
    if (numerator.HadCpus(r) && (!ratio.paired || denominator.HadCpus(r))) {
      used.push_back(all.back());
      continue;
    }
    for (const RoundSeries* side : {&numerator, &denominator}) {
      if (r < side->cpu_share.size()) {
        ratio.least_share = std::min(ratio.least_share, side->cpu_share[r]);
      }
    }
  }
  if (all.empty()) return ratio;
  ratio.rounds_with_cpus = static_cast<int>(used.size());
  const bool enough = ratio.rounds_with_cpus >= rounds_needed;
  ratio.had_cpus = enough;
  // A wall-time ratio from the rounds that had their CPUs, however few (flagged); a CPU-time one
  // from them when there are enough (a worker that lost its CPU may come back to caches others
  // used), else from every round.
  const bool from_used = wall ? !used.empty() : enough;
  ratio.withheld = wall && used.empty();
  ratio.rounds_used = static_cast<int>(from_used ? used.size() : all.size());
  const Summary summary = Summarize(from_used ? used : all);
  ratio.value = summary.median;
  ratio.spread_pct = summary.mdape;
  return ratio;
}

}  // namespace sysbench
