// The storage's looked-up facts (filesystem, mount options, sysfs queue) in one result, next to
// one measured fact that tells what the device is: random vs sequential 4 KiB read latency.
#include <fmt/format.h>

#include <algorithm>

#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/disk/cases.h"

namespace sysbench::disk {
namespace {

// Random 4 KiB reads at least this many times slower than sequential ones: a seek-bound disk.
constexpr double kSeekBoundRatio = 3.0;

const Result* FindCase(const std::vector<Result>& results, const std::string& case_id) {
  for (const Result& r : results) {
    if (r.case_id == case_id && !r.skipped) return &r;
  }
  return nullptr;
}

// Where the run's completions land relative to where it may run: at QD1 a task away from the
// interrupt's CPU is woken across CPUs for every request, and a comparison with another tool is a
// comparison of two placements unless both are pinned to the same CPU.
void AddPlacement(Result& r, const StorageFacts& facts, Notes& notes) {
  if (!facts.interrupt.empty()) r.Add(LookedUp("interrupt_irq", facts.interrupt));
  if (facts.interrupt_cpu < 0) return;
  r.Add(LookedUp("interrupt_cpu", std::int64_t{facts.interrupt_cpu}));
  const std::vector<int> allowed = AllowedCpus();
  r.Param("allowed_cpus", fmt::format("{}", fmt::join(allowed, ",")));
  if (allowed.size() > 1 &&
      std::find(allowed.begin(), allowed.end(), facts.interrupt_cpu) != allowed.end()) {
    notes.Note("disk: '" + facts.device + "' completes requests on CPU " +
               std::to_string(facts.interrupt_cpu) + " (irq " + facts.interrupt +
               "); QD1 latency depends on whether the run is on that CPU: to compare with another "
               "tool, pin both to one CPU (--cpus " +
               std::to_string(facts.interrupt_cpu) + " here, taskset -c " +
               std::to_string(facts.interrupt_cpu) + " for the other)");
  }
}

}  // namespace

void EmitFacts(CaseContext& context) {
  const StorageFacts& facts = context.target.Facts();
  Result r("disk", "facts");
  r.Param("family", "facts").Param("test_file", context.target.Path());
  r.Param("engine", EngineName(context.plan.engine));
  r.Add(LookedUp("fs_type", facts.fs_type));
  if (!facts.mount_point.empty()) r.Add(LookedUp("mount_point", facts.mount_point));
  if (!facts.mount_options.empty()) r.Add(LookedUp("mount_options", facts.mount_options));
  if (!facts.device.empty()) r.Add(LookedUp("device", facts.device));
  if (facts.rotational >= 0) r.Add(LookedUp("rotational", std::int64_t{facts.rotational}));
  if (facts.logical_block > 0) r.Add(LookedUp("logical_block", facts.logical_block, "B"));
  if (facts.physical_block > 0) r.Add(LookedUp("physical_block", facts.physical_block, "B"));
  if (!facts.scheduler.empty()) r.Add(LookedUp("scheduler", facts.scheduler));
  r.Add(Computed("file_bytes", context.target.Bytes(), "B"));
  AddPlacement(r, facts, context.notes);

  const int depth = context.plan.engine == Engine::kPsync ? 1 : context.plan.sweep_depth;
  const std::string suffix = "/bs=4K/qd=" + std::to_string(depth);
  const Result* random = FindCase(context.kept, "sweep/randread" + suffix);
  const Result* sequential = FindCase(context.kept, "sweep/read" + suffix);
  const Metric* random_p50 = random ? random->Find("lat_p50_us") : nullptr;
  const Metric* sequential_p50 = sequential ? sequential->Find("lat_p50_us") : nullptr;
  if (random_p50 && sequential_p50 && AsDouble(sequential_p50->value) > 0) {
    const double ratio = AsDouble(random_p50->value) / AsDouble(sequential_p50->value);
    r.Add(Computed("rand_vs_seq_4k_read_latency", ratio, "x"));
    const bool seek_bound = ratio >= kSeekBoundRatio;
    if (facts.rotational == 1 && !seek_bound) {
      context.notes.Note("disk: sysfs says '" + facts.device +
                         "' is rotational, but random 4 KiB reads cost " + FormatHuman(ratio) +
                         "x sequential ones: it does not seek like a spinning disk (virtual "
                         "disks often claim rotational=1)");
    } else if (facts.rotational == 0 && seek_bound) {
      context.notes.Note("disk: random 4 KiB reads cost " + FormatHuman(ratio) +
                         "x sequential ones: the device behaves as if it seeks");
    }
  }
  context.Emit(std::move(r));
}

}  // namespace sysbench::disk
