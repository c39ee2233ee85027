// The clock a core runs at under a kernel's own instructions (docs/flops.md, "The clock under
// each ISA"): the kernel's chained twin against the plain kernel and the scalar add chain.
#pragma once

#include <cstdint>
#include <vector>

#include "sysbench/parallel.h"
#include "topics/flops/kernels/flops.h"

namespace sysbench {

struct IsaClock {
  double hz = 0;                // 0: not measured (the chain did not bind, or its sum was wrong)
  double scalar_hz = 0;         // the scalar add chain's fastest run beside it
  double chain_ratio = 0;       // chained pass / plain pass, fastest runs
  double plain_per_pass = 0;    // seconds per pass of the plain kernel's fastest short run
  double chained_per_pass = 0;  // seconds per pass of the chained twin's fastest short run
  bool chain_ok = true;         // every chained run left the exact chain sum
  int rounds = 0;               // rounds of kChainedRuns runs of each kind behind these figures
};

// Runs the kernel plain and chained in turn on every worker of `team` (kChainedRuns short runs
// each, a quarter of `batch_seconds` together), then as many scalar chain probes; `states` is
// scratch space, one per worker; MeasuredCoreHz() sizes the runs. With `earlier`, one more round:
// its fastest runs count with the new ones (more samples of the same statistics).
IsaClock MeasureIsaClock(WorkerTeam& team, kernels::FlopsIsa isa, kernels::FlopsType type,
                         kernels::FlopsOp op, std::vector<kernels::FlopsState>& states,
                         double batch_seconds, const IsaClock* earlier = nullptr);

// The clock under the ISA while the calling thread runs the kernel's chained twin on `state` for
// about `seconds` (passes sized from MeasuredCoreHz()): the chain's adds per second the thread ran
// (RunningTime, so a preempted probe still reads the core's clock). Beside each measured batch,
// in the licence the batch left the core in. 0 where the kernel has no chain or its sum came back
// wrong.
double ChainedProbeHz(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op,
                      kernels::FlopsState& state, double seconds);

// Seconds per pass of the mul and the add kernel alone beside a mul+add case (0: not measured).
struct MulAddParts {
  double mul_pass_seconds = 0;
  double add_pass_seconds = 0;
};

// The units of a case from its fastest short runs at the clock under its ISA.
struct FastUnits {
  double best_per_cycle = 0;  // operations per core per cycle of the fastest plain run (0: none)
  double units = 0;
  double mul_units = 0, add_units = 0;  // mul+add only (0: not measured)
};

// Operations per core per cycle of the fastest plain run at the clock under the ISA (the chain's,
// or the scalar clock where the chain did not bind), `threads` workers on `cores` cores, and the
// units from it (UnitsFromRate; for mul+add with the units of its parts, MulAddUnits). All zero
// where the clock or the run is missing.
FastUnits UnitsFromFastestRuns(kernels::FlopsIsa isa, kernels::FlopsType type, kernels::FlopsOp op,
                               int threads, int cores, const IsaClock& clock,
                               const MulAddParts& parts);

// Seconds per pass of the fastest of kChainedRuns short plain runs of the kernel on every worker of
// `team` (the workers' mean), each `passes` long: the issue rate with interruptions left out.
double FastestPassSeconds(WorkerTeam& team, kernels::FlopsIsa isa, kernels::FlopsType type,
                          kernels::FlopsOp op, std::vector<kernels::FlopsState>& states,
                          std::uint64_t passes);

}  // namespace sysbench
