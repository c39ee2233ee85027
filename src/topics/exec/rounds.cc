#include "topics/exec/rounds.h"

#include <algorithm>

#include "sysbench/stats.h"

namespace sysbench {

std::vector<BatchSamples> MeasureRounds(const TimingOptions& timing,
                                        const std::vector<DualBatchFn>& batches,
                                        const std::function<void()>& after_round) {
  TimingOptions calibration = timing;
  calibration.repetitions = 1;
  const Runner runner(calibration);
  std::vector<BatchSamples> samples(batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    samples[i].iterations = runner.Calibrate([&](std::uint64_t n) { return batches[i](n).wall; });
  }
  for (int round = 0; round < std::max(timing.repetitions, 1); ++round) {
    for (std::size_t i = 0; i < batches.size(); ++i) {
      samples[i].rounds.push_back(batches[i](samples[i].iterations));
    }
    if (after_round) after_round();
  }
  return samples;
}

RoundRatio RatioOf(const RoundSeries& numerator, const RoundSeries& denominator, bool use_cpu) {
  const std::vector<double>& top = use_cpu ? numerator.cpu_ns : numerator.wall_ns;
  const std::vector<double>& bottom = use_cpu ? denominator.cpu_ns : denominator.wall_ns;
  RoundRatio ratio;
  if (top.empty() || bottom.empty()) return ratio;
  ratio.paired = numerator.round_set == denominator.round_set && top.size() == bottom.size();
  const double bottom_median = Median(bottom);
  std::vector<double> per_round;
  for (std::size_t r = 0; r < top.size(); ++r) {
    const double below = ratio.paired ? bottom[r] : bottom_median;
    if (below > 0) per_round.push_back(top[r] / below);
  }
  if (per_round.empty()) return ratio;
  const Summary summary = Summarize(per_round);
  ratio.value = summary.median;
  ratio.spread_pct = summary.mdape;
  return ratio;
}

}  // namespace sysbench
