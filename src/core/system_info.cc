#include "sysbench/system_info.h"

#include <cpuid.h>
#include <sched.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "sysbench/cpu_features.h"
#include "sysbench/cpuid_caches.h"

namespace sysbench {
namespace {

namespace fs = std::filesystem;

std::string ReadLine(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::uint64_t ParseCacheSize(const std::string& text) {
  // sysfs writes "48K", "2048K", "105M".
  if (text.empty()) return 0;
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i < text.size()) {
    if (text[i] == 'K') value <<= 10;
    if (text[i] == 'M') value <<= 20;
    if (text[i] == 'G') value <<= 30;
  }
  return value;
}

int ToInt(const std::string& text) {
  try {
    return text.empty() ? 0 : std::stoi(text);
  } catch (...) {
    return 0;
  }
}

std::vector<CacheInfo> ReadCaches() {
  std::vector<CacheInfo> caches;
  const fs::path base = "/sys/devices/system/cpu/cpu0/cache";
  std::error_code ec;
  for (int index = 0; index < 16; ++index) {
    const fs::path dir = base / ("index" + std::to_string(index));
    if (!fs::exists(dir, ec)) break;
    CacheInfo cache;
    cache.level = ToInt(ReadLine(dir / "level"));
    cache.type = ReadLine(dir / "type");
    cache.size_bytes = ParseCacheSize(ReadLine(dir / "size"));
    cache.line_bytes = ToInt(ReadLine(dir / "coherency_line_size"));
    cache.ways = ToInt(ReadLine(dir / "ways_of_associativity"));
    cache.shared_cpu_list = ReadLine(dir / "shared_cpu_list");
    caches.push_back(cache);
  }
  return caches;
}

std::string HypervisorName() {
  if (!DetectCpuFeatures().hypervisor) return "none";
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  __cpuid(0x40000000, eax, ebx, ecx, edx);
  char id[13] = {};
  std::memcpy(id + 0, &ebx, 4);
  std::memcpy(id + 4, &ecx, 4);
  std::memcpy(id + 8, &edx, 4);
  std::string sig = id;
  sig.erase(sig.find_last_not_of(' ') + 1);
  if (sig.rfind("KVMKVMKVM", 0) == 0) return "KVM";
  if (sig.rfind("bhyve", 0) == 0) return "bhyve";
  if (sig == "Microsoft Hv") return "Hyper-V";
  if (sig == "VMwareVMware") return "VMware";
  if (sig == "XenVMMXenVMM") return "Xen";
  if (sig == "TCGTCGTCGTCG") return "QEMU (TCG)";
  if (sig.find("ACRN") != std::string::npos) return "ACRN";
  return sig.empty() ? "unknown hypervisor" : sig;
}

void ReadMemInfo(SystemInfo& info) {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (in >> key >> kib) {
    std::getline(in, unit);
    if (key == "MemTotal:") info.mem_total_bytes = kib * 1024;
    if (key == "MemAvailable:") info.mem_available_bytes = kib * 1024;
  }
}

void ReadCpuTopology(SystemInfo& info) {
  std::set<std::pair<int, int>> cores;
  std::set<int> packages;
  for (int cpu : AllowedCpus()) {
    const fs::path topo = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology";
    const int package = ToInt(ReadLine(topo / "physical_package_id"));
    cores.insert({package, ToInt(ReadLine(topo / "core_id"))});
    packages.insert(package);
  }
  info.logical_cpus = static_cast<int>(sysconf(_SC_NPROCESSORS_ONLN));
  info.physical_cores = static_cast<int>(cores.size());
  info.sockets = static_cast<int>(packages.size());
}

int ReadProcsRunning() {
  std::ifstream in("/proc/stat");
  std::string key;
  while (in >> key) {
    if (key == "procs_running") {
      int running = 0;
      in >> running;
      return running;
    }
    std::getline(in, key);
  }
  return 0;
}

// The fewest runnable tasks over a few quick looks: one look also catches short-lived helpers
// such as the other end of a shell pipeline.
int RunningTasks() {
  int fewest = ReadProcsRunning();
  for (int look = 0; look < 4; ++look) {
    usleep(2000);
    fewest = std::min(fewest, ReadProcsRunning());
  }
  return fewest;
}

SystemInfo Read() {
  SystemInfo info;
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) info.hostname = host;
  utsname uts{};
  if (uname(&uts) == 0) info.kernel = std::string(uts.sysname) + " " + uts.release;
  ReadCpuTopology(info);
  info.caches = ReadCaches();
  if (info.caches.empty()) info.caches = CachesFromCpuid();
  info.page_size = static_cast<std::uint64_t>(sysconf(_SC_PAGESIZE));
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/sys/kernel/mm/hugepages", ec)) {
    const std::string name = entry.path().filename().string();  // hugepages-2048kB
    const auto dash = name.find('-');
    if (dash != std::string::npos) {
      info.huge_page_sizes.push_back(static_cast<std::uint64_t>(ToInt(name.substr(dash + 1))) *
                                     1024);
    }
  }
  std::sort(info.huge_page_sizes.begin(), info.huge_page_sizes.end());
  ReadMemInfo(info);
  info.governor = ReadLine("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor");
  info.virtualization = HypervisorName();
  {
    std::ifstream in("/proc/loadavg");
    in >> info.load_avg_1min;
  }
  info.running_tasks = RunningTasks();
  {
    std::ifstream in("/proc/cpuinfo");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("cpu MHz", 0) == 0) {
        const auto colon = line.find(':');
        if (colon != std::string::npos) info.nominal_mhz = std::stod(line.substr(colon + 1));
        break;
      }
    }
  }
  return info;
}

}  // namespace

std::string CacheInfo::Name() const {
  std::string name(1, 'L');
  name += std::to_string(level);
  if (type == "Data") name += "d";
  if (type == "Instruction") name += "i";
  return name;
}

std::uint64_t SystemInfo::LastLevelCacheBytes() const {
  std::uint64_t best = 0;
  int best_level = 0;
  for (const CacheInfo& c : caches) {
    if (c.type == "Instruction") continue;
    if (c.level > best_level) {
      best_level = c.level;
      best = c.size_bytes;
    }
  }
  return best;
}

int SystemInfo::L1LineBytes() const {
  for (const CacheInfo& c : caches) {
    if (c.level == 1 && c.type != "Instruction") return c.line_bytes;
  }
  return 0;
}

const SystemInfo& GetSystemInfo() {
  static const SystemInfo info = Read();
  return info;
}

std::vector<int> AllowedCpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
      if (CPU_ISSET(static_cast<std::size_t>(cpu), &set)) cpus.push_back(cpu);
    }
  }
  if (cpus.empty()) cpus.push_back(0);
  return cpus;
}

}  // namespace sysbench
