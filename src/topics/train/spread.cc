#include "topics/train/spread.h"

#include "sysbench/stats.h"

namespace sysbench::train {

double CvPct(const std::vector<double>& values) {
  const Summary s = Summarize(values);
  return s.n > 1 && s.mean > 0 ? 100.0 * s.stddev / s.mean : 0.0;
}

const char* Stability(double to_target_cv_pct, double epoch_time_cv_pct, std::size_t seeds) {
  if (seeds < 3) return "no (fewer than 3 seeds)";
  if (to_target_cv_pct <= kStableCvPct) return "yes";
  return epoch_time_cv_pct <= kStableCvPct ? "no (the seeds need different epochs)"
                                           : "no (epoch times spread: noise)";
}

}  // namespace sysbench::train
