// Wall-clock timing on the steady clock, and what that clock can resolve.
#pragma once

#include <chrono>
#include <cstdint>

namespace sysbench {

using SteadyClock = std::chrono::steady_clock;

inline double SecondsBetween(SteadyClock::time_point start, SteadyClock::time_point end) {
  return std::chrono::duration<double>(end - start).count();
}

// Smallest non-zero step the steady clock shows, in seconds (measured once, cached).
double ClockResolutionSeconds();

// Cost of one SteadyClock::now() call, in seconds (measured once, cached).
double ClockOverheadSeconds();

// CPU seconds the calling thread has had so far (CLOCK_THREAD_CPUTIME_ID; Linux updates them on
// each read, to the nanosecond).
double ThreadCpuSeconds();

// Core clock in Hz measured with a chain of dependent register adds (one cycle each), which is the
// rate the core really runs at, unlike the TSC on a VM. After a 200 ms warm-up, the second fastest
// of 41 runs of about 2 ms: the clock the core reaches when nothing interrupts it. Cached.
double MeasuredCoreHz();

// The same chain run once for about `seconds` (at least 1000 timer steps) on the calling thread:
// the cycles this thread got per second of wall time just now. Time the OS or a hypervisor takes
// away lowers it, as it lowers any kernel timed next to it, so a kernel's rate divided by this
// probe counts only cycles it had.
double ProbeCoreHz(double seconds);

}  // namespace sysbench
