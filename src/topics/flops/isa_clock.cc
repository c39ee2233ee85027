#include "topics/flops/isa_clock.h"

#include <algorithm>
#include <cstdint>

#include "sysbench/clock.h"
#include "sysbench/stats.h"
#include "topics/flops/peak_check.h"
#include "topics/flops/running_time.h"

namespace sysbench {
namespace {

// kChainedRuns short runs of the plain and the chained kernel in turn, then as many scalar chain
// probes of the same length, a quarter of a batch for each kind. The fastest run of each kind
// counts: an interruption only ever slows a run, and short runs often fit between two. (Wall
// time, not RunningTime: dividing by a CPU share can only err upwards now and then, and the
// fastest run would pick exactly those errors.) The scalar
// probes run back to back for at least kMinScalarSeconds, longer than a wide-vector licence
// outlasts its instructions (about 2 ms is the figure usually given for Intel server cores), so
// the fastest of them is the scalar clock.
constexpr int kChainedRuns = 8;
constexpr double kChainedShareOfBatch = 0.25;
constexpr double kMinScalarSeconds = 0.004;

}  // namespace

FastUnits UnitsFromFastestRuns(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op,
                               int threads, int cores, const IsaClock& clock,
                               const MulAddParts& parts) {
  FastUnits fast;
  const double hz = clock.hz > 0 ? clock.hz : clock.scalar_hz;
  if (!(hz > 0) || !(clock.plain_per_pass > 0) || cores <= 0) return fast;
  const auto per_cycle = [&](kernels::FlopsOp kernel, double pass_seconds) {
    return kernels::OpsPerIteration(isa, type, kernel) * threads / cores / pass_seconds / hz;
  };
  const double per_unit = OpsPerUnitCycle(isa, type, op);
  fast.best_per_cycle = per_cycle(op, clock.plain_per_pass);
  fast.units = UnitsFromRate(fast.best_per_cycle, per_unit);
  if (op == kernels::FlopsOp::kMulAdd && parts.mul_pass_seconds > 0 && parts.add_pass_seconds > 0) {
    // The units of the multiply and of the add alone bound the pair where they share ports.
    fast.mul_units = UnitsFromRate(per_cycle(kernels::FlopsOp::kMul, parts.mul_pass_seconds),
                                   OpsPerUnitCycle(isa, type, kernels::FlopsOp::kMul));
    fast.add_units = UnitsFromRate(per_cycle(kernels::FlopsOp::kAdd, parts.add_pass_seconds),
                                   OpsPerUnitCycle(isa, type, kernels::FlopsOp::kAdd));
    fast.units = MulAddUnits(fast.best_per_cycle, per_unit, fast.mul_units, fast.add_units);
  }
  return fast;
}

double ChainedProbeHz(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op,
                      kernels::FlopsState& state, double seconds) {
  const kernels::FlopsFn fn = kernels::FindFlopsKernel(isa, type, op);
  const int adds = kernels::ClockChainAddsPerIteration(isa, type, op);
  if (fn == nullptr || adds == 0) return 0;
  const auto passes =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(seconds * MeasuredCoreHz() / adds));
  kernels::InitFlopsState(state, isa, type, op);
  state.interleave_clock_chain = true;
  const RunningTime time = TimeRunning([&] { fn(state, passes); });
  state.interleave_clock_chain = false;
  const std::uint64_t chain_adds = passes * static_cast<std::uint64_t>(adds);
  if (state.clock_chain != chain_adds * kernels::kClockChainStep || !(time.Running() > 0)) return 0;
  return static_cast<double>(chain_adds) / time.Running();
}

double FastestPassSeconds(WorkerTeam& team, kernels::FlopsIsa isa, kernels::FlopsType type,
                          kernels::FlopsOp op, std::vector<kernels::FlopsState>& states,
                          std::uint64_t passes) {
  const kernels::FlopsFn fn = kernels::FindFlopsKernel(isa, type, op);
  std::vector<double> seconds(states.size());
  double best = 0;
  for (int i = 0; i < kChainedRuns; ++i) {
    for (auto& state : states) kernels::InitFlopsState(state, isa, type, op);
    team.Run([&](int worker) {
      const std::size_t w = static_cast<std::size_t>(worker);
      const auto start = SteadyClock::now();
      fn(states[w], passes);
      seconds[w] = SecondsBetween(start, SteadyClock::now());
    });
    const double per_pass = Mean(seconds) / static_cast<double>(passes);
    if (i == 0 || per_pass < best) best = per_pass;
  }
  return best;
}

IsaClock MeasureIsaClock(WorkerTeam& team, kernels::FlopsIsa isa, kernels::FlopsType type,
                         kernels::FlopsOp op, std::vector<kernels::FlopsState>& states,
                         double batch_seconds, const IsaClock* earlier) {
  const kernels::FlopsFn fn = kernels::FindFlopsKernel(isa, type, op);
  const int adds = kernels::ClockChainAddsPerIteration(isa, type, op);
  const double run_seconds =
      std::max(kChainedShareOfBatch * batch_seconds, kMinScalarSeconds) / kChainedRuns;
  const auto passes =
      std::max<std::uint64_t>(1, static_cast<std::uint64_t>(run_seconds * MeasuredCoreHz() / adds));
  std::vector<double> seconds(states.size());
  IsaClock clock = earlier != nullptr ? *earlier : IsaClock{};
  ++clock.rounds;
  // Seconds per pass: the workers' mean. Each chained run follows a plain run of as many passes,
  // so that both see the same machine (the chain binds where chained passes take
  // kChainBindsRatio x the plain ones or more).
  const auto run = [&](bool chained) {
    for (auto& state : states) {
      kernels::InitFlopsState(state, isa, type, op);
      state.interleave_clock_chain = chained;
    }
    team.Run([&](int worker) {
      const std::size_t w = static_cast<std::size_t>(worker);
      const auto start = SteadyClock::now();
      fn(states[w], passes);
      seconds[w] = SecondsBetween(start, SteadyClock::now());
    });
    if (chained) {
      for (const auto& state : states) {
        clock.chain_ok = clock.chain_ok &&
                         state.clock_chain ==
                             passes * static_cast<std::uint64_t>(adds) * kernels::kClockChainStep;
      }
    }
    return Mean(seconds) / static_cast<double>(passes);
  };
  double best_chained = clock.chained_per_pass;
  double best_plain = clock.plain_per_pass;
  for (int i = 0; i < kChainedRuns; ++i) {
    const double plain = run(false);
    const double chained = run(true);
    if (best_plain == 0 || plain < best_plain) best_plain = plain;
    if (best_chained == 0 || chained < best_chained) best_chained = chained;
  }
  // The scalar clock beside it, the same way: the fastest of as many probes as long.
  for (int probe = 0; probe < kChainedRuns; ++probe) {
    team.Run(
        [&](int worker) { seconds[static_cast<std::size_t>(worker)] = ProbeCoreHz(run_seconds); });
    clock.scalar_hz = std::max(clock.scalar_hz, Mean(seconds));
  }
  clock.plain_per_pass = best_plain;
  clock.chained_per_pass = best_chained;
  clock.chain_ratio = best_plain > 0 ? best_chained / best_plain : 0;
  if (clock.chain_ok && ChainBinds(best_chained, best_plain)) {
    clock.hz = ChainClockHz(adds, best_chained);
  }
  return clock;
}

}  // namespace sysbench
