// Internal to src/core: one cpuid call, for the feature and cache readers.
#pragma once

#include <cpuid.h>

namespace sysbench::cpuid {

struct Regs {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
};

inline Regs Query(unsigned leaf, unsigned subleaf = 0) {
  Regs r;
  __cpuid_count(leaf, subleaf, r.eax, r.ebx, r.ecx, r.edx);
  return r;
}

}  // namespace sysbench::cpuid
