// Facts about this machine that are looked up (sysfs, /proc, uname), never measured.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sysbench {

struct CacheInfo {
  int level = 0;
  std::string type;  // "Data", "Instruction", "Unified"
  std::uint64_t size_bytes = 0;
  int line_bytes = 0;
  int ways = 0;
  std::string shared_cpu_list;   // "0-1"; empty when the source does not say
  std::string source = "sysfs";  // where the facts were looked up: "sysfs" or "cpuid"
  std::string Name() const;      // "L1d", "L1i", "L2", "L3"
};

struct SystemInfo {
  std::string hostname;
  std::string kernel;  // uname -sr
  int logical_cpus = 0;
  int physical_cores = 0;
  int sockets = 0;
  std::vector<CacheInfo> caches;  // sysfs cpu0/cache, else cpuid (see CacheInfo::source)
  std::uint64_t page_size = 0;
  std::vector<std::uint64_t> huge_page_sizes;
  std::uint64_t mem_total_bytes = 0;
  std::uint64_t mem_available_bytes = 0;
  std::string governor;        // empty when the kernel exposes none (typical in VMs)
  std::string virtualization;  // "KVM", "none", ... (cpuid hypervisor leaf)
  double load_avg_1min = 0;
  int running_tasks = 0;              // procs_running from /proc/stat, this process included
  std::optional<double> nominal_mhz;  // /proc/cpuinfo "cpu MHz" (looked up, may be the TSC rate)

  // Largest data or unified cache (the LLC), 0 when unknown.
  std::uint64_t LastLevelCacheBytes() const;
  // Line size of L1d from sysfs, 0 when unknown.
  int L1LineBytes() const;
};

// Read once and cached.
const SystemInfo& GetSystemInfo();

// CPUs this process may run on (sched_getaffinity), in increasing order.
std::vector<int> AllowedCpus();

}  // namespace sysbench
