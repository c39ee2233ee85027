// The cache line in cache-stride's output: the coherence curve measured and its cases emitted, the
// `line-size` metrics (measured next to looked up), and what the stride curve's knee means.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sysbench/command.h"
#include "sysbench/result.h"
#include "topics/cache_stride/coherence.h"
#include "topics/cache_stride/detect.h"

namespace sysbench {

// The line by coherence (no prefetcher can blur it).
struct CoherenceLine {
  CoherenceCurve curve;
  LineDetection line;
  bool Ran() const { return curve.skipped.empty(); }
};

// Measures the coherence curve (bounded: 0.5 s, 0.25 s with --quick) and emits one
// `coherence/d=N` case per distance.
CoherenceLine MeasureCoherenceLine(const RunConfig& config, ResultSink& sink);

// What the knee of the address-order curve is: a multiple of the line means the prefetchers fetch
// that many lines at a time (adjacent-line pairs, the streamer's runs).
std::string KneeMeaning(const LineDetection& knee, std::optional<std::uint64_t> measured,
                        int looked_up);

// A detected size in bytes, or the text "not detected" (Source measured).
void AddBytes(Result& summary, const std::string& name, const LineDetection& d);

// The line metrics of the `line-size` case: the measured line next to the looked-up one.
// `fallback`: the method `detected` comes from when coherence could not run.
void AddLineMetrics(Result& summary, const CoherenceLine& coherence, const LineDetection& detected,
                    int looked_up, const std::string& fallback);

// A note when coherence could not run, a warning when the measured line differs from the lookup.
void NoteLine(const RunContext& context, const CoherenceLine& coherence,
              const LineDetection& detected, int looked_up);

}  // namespace sysbench
