#include "sysbench/contention.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace sysbench {

ContentionProbe::ContentionProbe() : last_(Read()) {}

ContentionProbe::Reading ContentionProbe::Read() {
  Reading reading;
  reading.when = std::chrono::steady_clock::now();
  std::ifstream stat("/proc/stat");
  std::string label;
  // cpu user nice system idle iowait irq softirq steal (guest time is inside user already)
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) ||
      label != "cpu") {
    return reading;
  }
  const long ticks = sysconf(_SC_CLK_TCK);
  if (ticks <= 0) return reading;
  const double tick_s = 1.0 / static_cast<double>(ticks);
  reading.busy_s = (user + nice + system + irq + softirq) * tick_s;
  reading.steal_s = steal * tick_s;
  reading.total_s = reading.busy_s + (idle + iowait + steal) * tick_s;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return reading;
  auto seconds = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6;
  };
  reading.own_s = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  reading.ok = true;
  return reading;
}

std::optional<Contention> ContentionProbe::Lap() {
  const Reading now = Read();
  const Reading before = last_;
  last_ = now;
  const double wall_s = std::chrono::duration<double>(now.when - before.when).count();
  if (!now.ok || !before.ok || wall_s < 0.02 || now.total_s <= before.total_s) return std::nullopt;
  Contention c;
  const double others_s = (now.busy_s - before.busy_s) - (now.own_s - before.own_s);
  c.other_cpus = std::max(0.0, others_s / wall_s);
  c.steal_pct = 100 * (now.steal_s - before.steal_s) / (now.total_s - before.total_s);
  return c;
}

}  // namespace sysbench
