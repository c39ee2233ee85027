#include "topics/cache_stride/coherence.h"

#include <algorithm>
#include <atomic>
#include <fstream>
#include <memory>

#include "sysbench/clock.h"
#include "sysbench/parallel.h"
#include "sysbench/stats.h"
#include "topics/cache_stride/kernels/coherence.h"

namespace sysbench {
namespace {

// Updates per thread and trial: about 20 us apart and 200 us contended, short enough that a
// time slice of a loaded machine rarely cuts one in two.
constexpr std::uint32_t kUpdatesPerTrial = 4096;
// How long each thread waits at the start line for the other (it may not be scheduled).
constexpr double kStartWaitSeconds = 2e-3;

// Two slots a page apart at most, on a page of their own.
struct alignas(4096) CounterPage {
  std::atomic<std::uint32_t> slots[2 * kCoherenceReferenceBytes / sizeof(std::uint32_t)];
};

// "core PACKAGE:ID" from sysfs, empty when unknown.
std::string CoreOf(int cpu) {
  const std::string dir = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
  std::string package, core;
  std::ifstream(dir + "physical_package_id") >> package;
  std::ifstream(dir + "core_id") >> core;
  return core.empty() ? std::string() : package + ":" + core;
}

// The first allowed CPU, and the first other one on a different core (SMT siblings share the L1,
// so no line would move between them); any other CPU when the topology is unknown.
std::pair<int, int> PickTwoCores(const std::vector<int>& cpus) {
  const int a = cpus[0];
  const std::string core_a = CoreOf(a);
  for (std::size_t i = 1; i < cpus.size(); ++i) {
    const std::string core = CoreOf(cpus[i]);
    if (core_a.empty() || core.empty() || core != core_a) return {a, cpus[i]};
  }
  return {a, cpus[1]};
}

}  // namespace

const std::vector<std::uint64_t>& CoherenceDistances() {
  static const std::vector<std::uint64_t> distances = {4, 8, 16, 32, 64, 128, 256};
  return distances;
}

CoherenceCurve MeasureCoherence(const CoherenceOptions& options) {
  CoherenceCurve curve;
  if (options.cpus.size() < 2) {
    curve.skipped = "needs two CPUs to move a line between (this process may run on " +
                    std::to_string(options.cpus.size()) + ")";
    return curve;
  }
  std::tie(curve.cpu_a, curve.cpu_b) = PickTwoCores(options.cpus);
  std::vector<std::uint64_t> distances = CoherenceDistances();
  distances.push_back(kCoherenceReferenceBytes);
  std::vector<std::vector<double>> ns(distances.size());

  auto page = std::make_unique<CounterPage>();
  WorkerTeam team(2, {curve.cpu_a, curve.cpu_b});
  const auto start = SteadyClock::now();
  auto elapsed = [&start] { return SecondsBetween(start, SteadyClock::now()); };
  std::atomic<int> arrived{0};
  for (int round = 0; elapsed() < options.budget_seconds; ++round) {
    bool all_done = true;
    for (std::size_t k = 0; k < distances.size(); ++k) {
      // Every distance once per round, in alternating directions, so a burst of load from
      // elsewhere falls on all distances alike.
      const std::size_t i = round % 2 == 0 ? k : distances.size() - 1 - k;
      if (static_cast<int>(ns[i].size()) >= options.target_trials) continue;
      all_done = false;
      std::atomic<std::uint32_t>* counters[2] = {
          &page->slots[0], &page->slots[distances[i] / sizeof(std::uint32_t)]};
      counters[0]->store(0);
      counters[1]->store(0);
      arrived.store(0);
      double seconds[2] = {0, 0};
      bool overlapped[2] = {false, false};
      team.Run([&](int w) {
        // Both at the start line (bounded), then both update at once.
        arrived.fetch_add(1);
        const auto wait_start = SteadyClock::now();
        while (arrived.load() < 2 &&
               SecondsBetween(wait_start, SteadyClock::now()) < kStartWaitSeconds) {
        }
        const auto t0 = SteadyClock::now();
        const std::uint32_t seen =
            kernels::ContendedIncrements(*counters[w], *counters[1 - w], kUpdatesPerTrial);
        seconds[w] = SecondsBetween(t0, SteadyClock::now());
        overlapped[w] = seen > 0 && seen < kUpdatesPerTrial;
      });
      if (overlapped[0] && overlapped[1]) {
        ns[i].push_back((seconds[0] + seconds[1]) / 2 * 1e9 / kUpdatesPerTrial);
      } else {
        ++curve.trials_discarded;
      }
      if (elapsed() >= options.budget_seconds) break;
    }
    if (all_done) break;
  }
  curve.seconds = elapsed();
  for (std::size_t i = 0; i < distances.size(); ++i) {
    CoherencePoint p;
    p.distance_bytes = distances[i];
    p.trials = static_cast<int>(ns[i].size());
    p.ns_per_update = ns[i].empty() ? 0 : Median(ns[i]);
    curve.points.push_back(p);
  }
  return curve;
}

}  // namespace sysbench
