// What the core's pipes allow per cycle, from a documented per-microarchitecture table
// (docs/flops.md). Where the table does not know the CPU or the case, it says so.
#pragma once

#include <optional>
#include <string>

#include "topics/flops/kernels/flops.h"

namespace sysbench {

struct Microarchitecture {
  std::string name;  // "Zen 5 (Turin)"; empty when the table does not know the CPU
  std::string why_unknown;
};

// Looks the CPU up by vendor, family and model.
Microarchitecture IdentifyMicroarchitecture(const std::string& vendor, unsigned family,
                                            unsigned model);

// Operations per cycle per core for the case, or nullopt with `why` filled in.
std::optional<double> PeakOpsPerCycle(const std::string& vendor, unsigned family, unsigned model,
                                      kernels::FlopsIsa isa, kernels::FlopsType type,
                                      kernels::FlopsOp op, std::string& why);

}  // namespace sysbench
