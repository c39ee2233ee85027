// Cache geometry from cpuid, for machines (often VMs) whose sysfs has no cache directory.
#pragma once

#include <vector>

#include "sysbench/system_info.h"

namespace sysbench {

// Deterministic cache parameters (leaf 4 on Intel, 0x8000001D on AMD with TOPOEXT), else AMD's
// legacy leaves 0x80000005/0x80000006. Empty when the CPU reports none. Looked up, not measured:
// a hypervisor may report what it likes (ways 0 means "not reported").
std::vector<CacheInfo> CachesFromCpuid();

}  // namespace sysbench
