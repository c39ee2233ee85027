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

// Core clock in Hz measured with a chain of dependent register adds (one cycle each), which is the
// rate the core really runs at, unlike the TSC on a VM. Median of several short runs; cached.
double MeasuredCoreHz();

}  // namespace sysbench
