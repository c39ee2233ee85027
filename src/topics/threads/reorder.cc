// threads scenario reorder: store-buffer and message-passing litmus tests under each memory order.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "sysbench/case_budget.h"
#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

struct OrderCase {
  const char* name;
  k::LitmusOrder order;
};

void RunReorder(const Plan& plan, const RunContext& context, ResultSink& sink) {
  std::vector<int> pair = {plan.cpus[0], plan.cpus[plan.cpus.size() > 1 ? 1 : 0]};
  if (pair[0] == pair[1]) {
    context.notes.Note(
        "threads reorder: only one CPU available, so both litmus threads share it and "
        "reordering between CPUs cannot show");
  }
  const OrderCase sb_orders[] = {{"plain", k::LitmusOrder::kPlain},
                                 {"relaxed", k::LitmusOrder::kRelaxed},
                                 {"acq_rel", k::LitmusOrder::kAcqRel},
                                 {"seq_cst", k::LitmusOrder::kSeqCst},
                                 {"fence", k::LitmusOrder::kFence}};
  const OrderCase mp_orders[] = {{"plain", k::LitmusOrder::kPlain},
                                 {"relaxed", k::LitmusOrder::kRelaxed},
                                 {"acq_rel", k::LitmusOrder::kAcqRel}};
  WorkerTeam team(2, pair);
  for (const bool sb : {true, false}) {
    const std::string test = sb ? "store-buffer" : "message-passing";
    for (const OrderCase& oc :
         sb ? std::vector<OrderCase>(std::begin(sb_orders), std::end(sb_orders))
            : std::vector<OrderCase>(std::begin(mp_orders), std::end(mp_orders))) {
      const std::string order = oc.name;
      k::Litmus litmus(sb ? k::LitmusTest::kStoreBuffer : k::LitmusTest::kMessagePassing, oc.order,
                       plan.trials, 4096,
                       plan.trials_explicit ? kCaseBudgetSeconds : (plan.quick ? 0.3 : 2.0));
      const double seconds = team.Run([&](int side) { litmus.RunSide(side); });
      const std::uint64_t forbidden = litmus.Forbidden();
      if (litmus.Trials() < plan.trials) {
        context.notes.Note(
            fmt::format("threads reorder: stopped {}/{} after {} of {} trials at {}", test, order,
                        litmus.Trials(), plan.trials,
                        plan.trials_explicit
                            ? "the time cap per case (sysbench/case_budget.h)"
                            : "the default time cap (a busy machine); pass --trials to run more"));
      }
      const bool must_forbid = sb ? (order == "seq_cst" || order == "fence") : (order == "acq_rel");
      std::string verdict;
      if (must_forbid) {
        verdict = forbidden == 0 ? "none, as the memory order guarantees"
                                 : "forbidden outcomes seen: a bug in this harness or the CPU";
      } else if (forbidden > 0) {
        verdict = sb ? "shown: each store waited in its CPU's store buffer while the other "
                       "CPU's load ran"
                     : "shown: the reader saw the flag before the data";
      } else {
        verdict = sb ? "not shown: the hardware did not reorder in this run"
                     : "not shown: x86 (TSO) keeps stores in order and loads in order, so only "
                       "the compiler could reorder this; weaker CPUs (Arm, POWER) show it";
        if (sb) {
          context.notes.Note(fmt::format(
              "threads reorder store-buffer/{}: no r1==r2==0 in {} trials: the hardware did not "
              "show the reordering in this run",
              order, litmus.Trials()));
        }
      }
      if (must_forbid && forbidden > 0) {
        context.notes.Warn(
            fmt::format("threads reorder {}/{}: {} forbidden outcomes", test, order, forbidden));
      }
      Result r = MakeResult("reorder", test + "/" + order, 2);
      r.Param("test", test);
      r.Param("trials_asked", std::to_string(plan.trials));
      r.Param("order", order);
      r.Param("cpus", fmt::format("{},{}", pair[0], pair[1]));
      r.Param("shows", sb ? "x=1; r1=y || y=1; r2=x: r1==r2==0 is forbidden only with seq_cst "
                            "or a full fence"
                          : "data=1; flag=1 || r1=flag; r2=data: flag set but data 0 is "
                            "forbidden with release/acquire (the seed's ready flag)");
      r.Add(Computed("trials", litmus.Trials()));
      r.Add(Count("forbidden_outcomes", forbidden));
      const std::uint64_t* o = litmus.Outcomes();
      r.Add(Count("outcome_r1_0_r2_0", o[0]));
      r.Add(Count("outcome_r1_0_r2_1", o[1]));
      r.Add(Count("outcome_r1_1_r2_0", o[2]));
      r.Add(Count("outcome_r1_1_r2_1", o[3]));
      r.Add(Measured("ns_per_trial", seconds * 1e9 / static_cast<double>(litmus.Trials()), "ns",
                     Better::kLower));
      r.Add(Computed("verdict", verdict));
      sink.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::threads
