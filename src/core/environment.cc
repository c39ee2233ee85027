#include "sysbench/environment.h"

#include <ctime>
#include <string>

#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "sysbench/shard.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "sysbench/version.h"

namespace sysbench {

void WarnAboutEnvironment(Notes& notes) {
  const SystemInfo& info = GetSystemInfo();
  if (!OptimizedBuild()) {
    notes.WarnLater(std::string("this sysbench is a ") + BuildType() +
                    " build without optimization or NDEBUG; build the release preset to measure");
  }
  if (info.virtualization != "none") {
    notes.WarnLater("running in a virtual machine (" + info.virtualization +
                    "): neighbours share the host, so expect more spread");
  }
  if (!info.governor.empty() && info.governor != "performance") {
    notes.WarnLater("CPU frequency governor is '" + info.governor +
                    "', not 'performance': the clock may change during a run");
  }
  if (info.running_tasks > 1) {
    notes.WarnLater(std::to_string(info.running_tasks - 1) +
                    " other task(s) were running when sysbench started: results may be lower");
  }
}

RunContextInfo BuildContextInfo(const RunConfig& config, const Notes& notes, bool measure_clock) {
  const SystemInfo& info = GetSystemInfo();
  const CpuFeatures& cpu = DetectCpuFeatures();
  RunContextInfo c;
  c.version = Version();
  c.build_type = BuildType();
  c.optimized = OptimizedBuild();
  c.argv = config.argv;
  char when[32] = {};
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &utc);
  c.time_utc = when;
  c.hostname = info.hostname;
  c.kernel = info.kernel;
  c.cpu_vendor = cpu.vendor;
  c.cpu_model = cpu.brand;
  c.virtualization = info.virtualization;
  c.governor = info.governor;
  c.isa_extensions = cpu.ExtensionNames();
  for (const CacheInfo& cache : info.caches) {
    std::string text = cache.Name() + " " + FormatBytes(static_cast<double>(cache.size_bytes)) +
                       " line " + std::to_string(cache.line_bytes) + " ways " +
                       std::to_string(cache.ways);
    if (!cache.shared_cpu_list.empty()) text += " shared " + cache.shared_cpu_list;
    c.caches.push_back(text + " (" + cache.source + ")");
  }
  c.logical_cpus = info.logical_cpus;
  c.physical_cores = info.physical_cores;
  c.load_avg_1min = info.load_avg_1min;
  if (measure_clock) c.measured_clock_ghz = MeasuredCoreHz() / 1e9;
  c.warnings = notes.Warnings();
  c.shard = CurrentShard();
  return c;
}

}  // namespace sysbench
