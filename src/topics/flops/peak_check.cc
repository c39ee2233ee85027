#include "topics/flops/peak_check.h"

#include <fmt/format.h>

#include <cmath>

namespace sysbench {
namespace {

// "2", "0.5", "0.33": units as the note prints them.
std::string UnitsText(double units) { return fmt::format("{:.{}f}", units, units >= 1 ? 0 : 2); }

}  // namespace

double OpsPerUnitCycle(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op) {
  const double per_iteration = kernels::OpsPerIteration(isa, type, op);
  if (isa == kernels::FlopsIsa::kAmx) {
    return per_iteration / kernels::kAmxDotsPerIteration / kernels::kAmxTileRows;
  }
  return per_iteration / kernels::InstructionsPerIteration(isa, type, op);
}

double UnitsFromRate(double ops_per_cycle, double ops_per_unit_cycle) {
  if (!(ops_per_cycle > 0) || !(ops_per_unit_cycle > 0)) return 0;
  const double ratio = ops_per_cycle / ops_per_unit_cycle;
  if (ratio >= 0.75) return std::round(ratio);
  return 1.0 / std::round(1.0 / ratio);
}

double MulAddUnits(double ops_per_cycle, double ops_per_unit_cycle, double mul_units,
                   double add_units) {
  const double whole = UnitsFromRate(ops_per_cycle, ops_per_unit_cycle);
  if (!(whole > 0) || !(mul_units > 0) || !(add_units > 0)) return whole;
  const double ratio = ops_per_cycle / ops_per_unit_cycle;
  const double shared = 2.0 * mul_units * add_units / (mul_units + add_units);
  const double noise = 1.0 + kPeakNoisePct / 100.0;
  if (ratio > whole * noise && shared > whole && ratio <= shared * noise) return shared;
  return whole;
}

bool ChainBinds(double chained_seconds_per_iteration, double plain_seconds_per_iteration) {
  return plain_seconds_per_iteration > 0 &&
         chained_seconds_per_iteration >= kChainBindsRatio * plain_seconds_per_iteration;
}

double ChainClockHz(double chain_adds_per_iteration, double chained_seconds_per_iteration) {
  return chained_seconds_per_iteration > 0
             ? chain_adds_per_iteration / chained_seconds_per_iteration
             : 0.0;
}

std::optional<double> PercentOfPeak(double rate, double peak, std::string& problem) {
  if (!(peak > 0)) {
    problem = "no peak";
    return std::nullopt;
  }
  const double pct = 100.0 * rate / peak;
  if (pct > 100.0 + kPeakNoisePct) {
    problem = fmt::format(
        "runs at {:.1f}% of the assumed peak, more than noise allows: the peak (units or clock) is "
        "wrong, so no percentage is given",
        pct);
    return std::nullopt;
  }
  problem.clear();
  return pct;
}

std::string DisagreementNote(const std::vector<UnitsDisagreement>& cases,
                             const std::string& table_cpu, unsigned family, unsigned model) {
  if (cases.empty()) return "";
  std::string list;
  for (std::size_t i = 0; i < cases.size() && i < 3; ++i) {
    if (i > 0) list += ", ";
    list += fmt::format("{} table {}, measured {}", cases[i].case_id,
                        UnitsText(cases[i].table_units), UnitsText(cases[i].measured_units));
  }
  if (cases.size() > 3) list += fmt::format(" and {} more", cases.size() - 3);
  return fmt::format(
      "flops: the peak table ({}, from cpuid family {} model {}) disagrees with the measured "
      "execution units on {} case(s) ({}); peaks use the measured units. cpuid's model number is "
      "what the CPU, or a hypervisor, chose to report, so the table is only a cross-check",
      table_cpu, family, model, cases.size(), list);
}

}  // namespace sysbench
