// The statistics of the CI gate: a test whose replicates are whole runs, the gate's resolution,
// and the correction for testing many rows at once.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace sysbench {

// Student's t distribution with `df` degrees of freedom (df > 0).
double StudentTTwoSidedP(double t, double df);  // P(|T| >= |t|)
double StudentTQuantile(double p, double df);   // the t with P(T <= t) = p, p in (0, 1)

struct RunTest {
  double ratio = 1;       // geometric mean of current / geometric mean of baseline
  double change_pct = 0;  // (ratio - 1) x 100
  double t = 0, df = 0;   // pooled two-sample t statistic on log values and its df
  double p_value = 1;     // two-sided
  double noise_pct = 0;   // between-run spread: pooled standard deviation, as a percentage
  double mde_pct = 0;     // smallest change this test detects, see DetectableChangePercent
  bool tested = false;    // false: too few runs or a value <= 0 (nothing else is set)
};

// Pooled two-sample t test on the logarithms of per-run values (one value per run on each side),
// so a change is a ratio and the variance is the spread between runs. Needs every value > 0, at
// least 2 values on one side and 3 in all. The detectable change uses `mde_alpha` (two-sided) and
// `power`.
RunTest CompareRuns(std::span<const double> baseline, std::span<const double> current,
                    double mde_alpha, double power);

// The smallest true change (in percent, as a slowdown or speed-up factor minus 1) that a two-sided
// t test at level `alpha` with `df` degrees of freedom and standard error `se` (log units) detects
// with probability `power`: exp((t(1 - alpha/2) + t(power)) x se) - 1.
double DetectableChangePercent(double se, double df, double alpha, double power);

// Holm's step-down adjusted p-values, in the input order: reject row i at level alpha when
// adjusted[i] < alpha, which keeps the chance of any false alarm among the rows below alpha.
std::vector<double> HolmAdjust(std::span<const double> p_values);

}  // namespace sysbench
