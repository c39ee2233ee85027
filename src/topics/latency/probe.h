// The cache levels as measured, for every command whose working set must lie beyond the last-level
// cache: a fast pointer-chase sweep (the latency command's method, fewer sizes and loads) that
// stops once main memory is reached, run at most once per process. cpuid's sizes are a lookup, and
// a hypervisor may report a whole host socket's L3 (480 MiB here where 32-48 MiB behave as L3).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "topics/latency/levels.h"

namespace sysbench {

struct ProbedLevels {
  std::vector<LatencyPoint> curve;  // fastest ns per load for each size measured
  LatencyLevels levels;             // as DetectLevels finds them
  std::uint64_t llc_bytes = 0;      // the last cache before main memory, 0 when not found
  std::string reason;               // why llc_bytes is 0
  double seconds = 0;               // how long the probe took
};

// The largest cache found before main memory: the last level's crossing size when DetectLevels
// found main memory after it (a last plateau at main-memory latency: without the looked-up LLC,
// DetectLevels calls the third plateau DRAM, which may be an L3 the sweep never left), else 0
// (with the reason). A pure function of the levels.
std::uint64_t LastLevelBytes(const LatencyLevels& levels, std::string* reason,
                             double min_dram_ns = LevelOptions{}.min_dram_ns);

// Whether a sweep may stop after `curve`: its last four points (two doublings at the probe's two
// sizes per doubling) are all at main-memory latency (>= min_dram_ns), past the last cache.
bool ReachedMainMemory(const std::vector<LatencyPoint>& curve, double min_dram_ns);

// Measures once (the first call; about 0.1-0.5 s) and returns the same result afterwards.
const ProbedLevels& ProbeCacheLevels();

// The size to plan working sets beyond the LLC with: the probed one when found, else the looked-up
// one (0: unknown). `source` (may be null) gets "measured" or "lookup".
std::uint64_t PlanningLlcBytes(std::string* source);

}  // namespace sysbench
