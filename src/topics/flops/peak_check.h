// The peak from measurement: execution units counted from the sustained issue rate, the clock the
// core runs under the kernel's instructions (the interleaved add chain), and the checks that keep
// a percentage of peak honest. Pure functions of their inputs, so tests can pin them down.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "topics/flops/kernels/flops.h"

namespace sysbench {

// A rate above the peak by more than this is not noise: the peak is wrong.
inline constexpr double kPeakNoisePct = 2.0;
// The chained kernel must run at least this much slower than the plain one for its add chain,
// not the arithmetic, to be the limit (so that a pass lasts exactly as many cycles as adds).
inline constexpr double kChainBindsRatio = 1.3;

// Operations one execution unit completes per cycle for this case: one instruction per cycle
// (its lanes x operations per lane), or for AMX one 16-row tile product every 16 cycles.
double OpsPerUnitCycle(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op);

// Execution units from the measured operations per cycle: whole pipes (round to nearest) from
// 0.75 up, below that one instruction every k cycles (1/k: 0.5, 0.33...); 0 for no rate.
double UnitsFromRate(double ops_per_cycle, double ops_per_unit_cycle);

// Units (instructions per cycle) of mul+add from its rate and the units of mul and of add alone:
// the whole number UnitsFromRate gives, unless the rate is above it by more than kPeakNoisePct and
// within noise of 2ma/(m+a), the pair rate where multiplies and adds share every port (VPMULLD zmm
// is two uops on ports 0 and 5, VPADDD zmm one on the same ports: 2 x 1 x 2 / 3 = 4/3). That bound
// comes from the two measured units, not from the rate, so it cannot be fitted to noise.
double MulAddUnits(double ops_per_cycle, double ops_per_unit_cycle, double mul_units,
                   double add_units);

// Whether the chained run was limited by its add chain (see kChainBindsRatio).
bool ChainBinds(double chained_seconds_per_iteration, double plain_seconds_per_iteration);

// The clock under the kernel: chain adds per second of the chained run (one add per cycle).
double ChainClockHz(double chain_adds_per_iteration, double chained_seconds_per_iteration);

// Percent of `peak` that `rate` reaches, or nullopt with `problem` filled in when the rate is
// above the peak by more than kPeakNoisePct (the peak, not the kernel, is wrong then).
std::optional<double> PercentOfPeak(double rate, double peak, std::string& problem);

// A case where the model-number table and the measurement disagree on the units.
struct UnitsDisagreement {
  std::string case_id;
  double table_units;
  double measured_units;
};

// One note for all the cases where the table disagrees, naming the CPU the table took cpuid's
// model for; empty when none disagree.
std::string DisagreementNote(const std::vector<UnitsDisagreement>& cases,
                             const std::string& table_cpu, unsigned family, unsigned model);

}  // namespace sysbench
