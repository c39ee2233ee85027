#include "topics/flops/running_time.h"

#include <algorithm>
#include <ctime>

namespace sysbench {

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double ShareOfWall(double cpu, double wall) {
  return wall > 0 && cpu > 0 ? std::min(1.0, cpu / wall) : 1.0;
}

double ProbeRunningCoreHz(double seconds) {
  double hz = 0;
  const RunningTime time = TimeRunning([&] { hz = ProbeCoreHz(seconds); });
  return hz / time.share;
}

}  // namespace sysbench
