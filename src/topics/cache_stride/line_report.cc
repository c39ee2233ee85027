#include "topics/cache_stride/line_report.h"

#include "sysbench/parallel.h"

namespace sysbench {

// What the knee of the address-order curve is: a multiple of the line means the prefetchers fetch
// that many lines at a time (adjacent-line pairs, the streamer's runs).
std::string KneeMeaning(const LineDetection& knee, std::optional<std::uint64_t> measured,
                        int looked_up) {
  if (!knee.line_bytes) return knee.reason;
  const std::uint64_t line = measured        ? *measured
                             : looked_up > 0 ? static_cast<std::uint64_t>(looked_up)
                                             : 0;
  if (line == 0 || *knee.line_bytes <= line) return knee.reason;
  return knee.reason + ": the prefetchers fetch " + std::to_string(*knee.line_bytes / line) +
         " lines of " + std::to_string(line) +
         " B at a time, so address order shows their unit, not the line";
}

CoherenceLine MeasureCoherenceLine(const RunConfig& config, ResultSink& sink) {
  CoherenceOptions options;
  options.cpus = WorkerCpus(config.cpus);
  options.budget_seconds = config.quick ? 0.25 : 0.5;
  options.target_trials = config.quick ? 9 : 15;
  CoherenceLine out;
  out.curve = MeasureCoherence(options);
  if (!out.Ran()) {
    out.line.reason = "skipped: " + out.curve.skipped;
    return out;
  }
  out.line = DetectCoherenceLine(out.curve.points);
  const double reference = out.curve.points.back().ns_per_update;
  for (const CoherencePoint& p : out.curve.points) {
    Result r("cache-stride", "coherence/d=" + std::to_string(p.distance_bytes));
    r.Param("distance_bytes", std::to_string(p.distance_bytes))
        .Param("cpus", std::to_string(out.curve.cpu_a) + "," + std::to_string(out.curve.cpu_b));
    if (p.trials == 0 || !(reference > 0)) {
      r.skipped = "no trial in which both threads ran at once";
      sink.Emit(std::move(r));
      continue;
    }
    r.Add({"ns_per_update", p.ns_per_update, "ns", Better::kNone, Source::kMeasured});
    r.Add({"vs_page_apart", p.ns_per_update / reference, "x", Better::kNone, Source::kMeasured});
    r.Add({"trials", std::int64_t{p.trials}, "", Better::kNone, Source::kMeasured});
    sink.Emit(std::move(r));
  }
  return out;
}

void AddBytes(Result& summary, const std::string& name, const LineDetection& d) {
  if (d.line_bytes) {
    summary.Add({name, *d.line_bytes, "B", Better::kNone, Source::kMeasured});
  } else {
    summary.Add({name, std::string("not detected"), "", Better::kNone, Source::kMeasured});
  }
}

// The line metrics of the `line-size` case: the measured line next to the looked-up one.
// `fallback`: the method `detected` comes from when coherence could not run.
void AddLineMetrics(Result& summary, const CoherenceLine& coherence, const LineDetection& detected,
                    int looked_up, const std::string& fallback) {
  summary.Param("line_method", coherence.Ran() ? "coherence" : fallback);
  AddBytes(summary, "detected_line_bytes", detected);
  summary.Add({"detection", detected.reason, "", Better::kNone, Source::kMeasured});
  if (looked_up > 0) {
    summary.Add(
        {"looked_up_line_bytes", std::int64_t{looked_up}, "B", Better::kNone, Source::kLookedUp});
  } else {
    summary.Add(
        {"looked_up_line_bytes", std::string("unknown"), "", Better::kNone, Source::kLookedUp});
  }
  AddBytes(summary, "coherence_line_bytes", coherence.line);
  summary.Add({"coherence", coherence.line.reason, "", Better::kNone, Source::kMeasured});
  if (coherence.Ran()) {
    summary.Add({"coherence_trials_discarded", std::int64_t{coherence.curve.trials_discarded}, "",
                 Better::kNone, Source::kMeasured});
    summary.Add(
        {"coherence_seconds", coherence.curve.seconds, "s", Better::kNone, Source::kMeasured});
  }
}

void NoteLine(const RunContext& context, const CoherenceLine& coherence,
              const LineDetection& detected, int looked_up) {
  if (!coherence.Ran()) context.notes.Note("cache-stride: coherence line " + coherence.line.reason);
  if (detected.line_bytes && looked_up > 0 &&
      *detected.line_bytes != static_cast<std::uint64_t>(looked_up)) {
    context.notes.Warn("cache-stride: detected line " + std::to_string(*detected.line_bytes) +
                       " B differs from the looked-up " + std::to_string(looked_up) +
                       " B (a noisy machine?)");
  }
}

}  // namespace sysbench
