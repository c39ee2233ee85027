// Time a thread really ran: its wall time and the share of it the OS gave the thread (its CPU time
// over the wall time). On a busy machine a kernel and the clock probe beside it need not get the
// same share of a CPU; dividing each by its own share leaves out the time other threads took.
#pragma once

#include "sysbench/clock.h"

namespace sysbench {

// The share of `wall` seconds a thread ran, from its CPU seconds over them (1 at most and where
// either is 0).
double ShareOfWall(double cpu, double wall);

struct RunningTime {
  double wall = 0;   // seconds from start to end
  double share = 1;  // ShareOfWall of the calling thread over them
  double Running() const { return wall * share; }
};

// Runs `body` on the calling thread and times it.
template <typename F>
RunningTime TimeRunning(F&& body) {
  const double cpu_start = ThreadCpuSeconds();
  const auto start = SteadyClock::now();
  body();
  const double wall = SecondsBetween(start, SteadyClock::now());
  return {wall, ShareOfWall(ThreadCpuSeconds() - cpu_start, wall)};
}

}  // namespace sysbench
