#include "topics/train/flops_reference.h"

#include <algorithm>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "topics/flops/kernels/flops.h"

namespace sysbench::train {
namespace {

namespace k = kernels;

// Each round runs at least this long; the best of the rounds is the peak (a preempted round is
// slower, never faster). With --quick, fewer and shorter rounds.
constexpr double kRoundSeconds = 0.02;
constexpr int kRounds = 5;
constexpr double kQuickRoundSeconds = 0.01;
constexpr int kQuickRounds = 3;

const char* IsaName(k::FlopsIsa isa) {
  switch (isa) {
    case k::FlopsIsa::kAvx512:
      return "avx512";
    case k::FlopsIsa::kAvx2:
      return "avx2";
    default:
      return "sse";
  }
}

std::optional<FlopsPeak> Measure(k::FlopsIsa isa, k::FlopsType type, k::FlopsOp op, bool quick) {
  const double round_seconds = quick ? kQuickRoundSeconds : kRoundSeconds;
  const int rounds = quick ? kQuickRounds : kRounds;
  const k::FlopsFn fn = k::FindFlopsKernel(isa, type, op);
  if (fn == nullptr || !DetectCpuFeatures().HasAll(k::RequiredExtensions(isa, type, op))) {
    return std::nullopt;
  }
  k::FlopsState state{};
  std::uint64_t iterations = 1000;
  double best = 0;
  for (int round = 0; round < rounds;) {
    k::InitFlopsState(state, isa, type, op);
    const auto t0 = SteadyClock::now();
    fn(state, iterations);
    const double seconds = SecondsBetween(t0, SteadyClock::now());
    if (seconds < round_seconds) {  // too short to time: grow and do not count it
      iterations *= 4;
      continue;
    }
    best = std::max(
        best, k::OpsPerIteration(isa, type, op) * static_cast<double>(iterations) / seconds / 1e9);
    ++round;
  }
  const std::string dtype = type == k::FlopsType::kF64 ? "f64" : "f32";
  const std::string how = op == k::FlopsOp::kFma ? "fma" : "mul+add";
  return FlopsPeak{std::string(IsaName(isa)) + " " + dtype + " " + how + " (" +
                       k::Instruction(isa, type, op) + ")",
                   best};
}

}  // namespace

std::optional<FlopsPeak> MeasureFlopsPeak(bool is_f64, bool widest, bool quick) {
  const k::FlopsType type = is_f64 ? k::FlopsType::kF64 : k::FlopsType::kF32;
  if (widest) {
    for (k::FlopsIsa isa : {k::FlopsIsa::kAvx512, k::FlopsIsa::kAvx2}) {
      if (auto peak = Measure(isa, type, k::FlopsOp::kFma, quick)) return peak;
    }
  }
  return Measure(k::FlopsIsa::kSse, type, k::FlopsOp::kMulAdd, quick);
}

}  // namespace sysbench::train
