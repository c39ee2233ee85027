// How `sysbench train` states the spread of its time to target over the seeds.
#pragma once

#include <cstddef>
#include <vector>

namespace sysbench::train {

// Above this spread of time to target over the seeds, a case is not stable.
inline constexpr double kStableCvPct = 10;

// Coefficient of variation in percent (sample standard deviation over the mean); 0 for fewer
// than two values or a mean that is not above 0.
double CvPct(const std::vector<double>& values);

// "yes" when the time to target spreads <= kStableCvPct over >= 3 seeds; otherwise which part
// spreads: the epochs the seeds need (the training's own variance, not noise) or the clock.
const char* Stability(double to_target_cv_pct, double epoch_time_cv_pct, std::size_t seeds);

}  // namespace sysbench::train
