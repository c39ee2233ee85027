#include "topics/train/flops_reference.h"

#include <algorithm>
#include <vector>

#include "sysbench/cpu_features.h"
#include "sysbench/runner.h"
#include "topics/flops/kernels/flops.h"

namespace sysbench::train {
namespace {

namespace k = kernels;

// The shared runner's calibration and samples; the fastest sample is the peak (a preempted one
// is slower, never faster). With --quick, fewer and shorter samples.
constexpr TimingOptions kTiming{.repetitions = 5, .min_time = 0.02, .warmup = 0.005};
constexpr TimingOptions kQuickTiming{.repetitions = 3, .min_time = 0.01, .warmup = 0.002};

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
  const k::FlopsFn fn = k::FindFlopsKernel(isa, type, op);
  if (fn == nullptr || !DetectCpuFeatures().HasAll(k::RequiredExtensions(isa, type, op))) {
    return std::nullopt;
  }
  k::FlopsState state{};
  const std::vector<Sample> samples =
      Runner(quick ? kQuickTiming : kTiming).Measure([&](std::uint64_t iterations) {
        k::InitFlopsState(state, isa, type, op);
        fn(state, iterations);
      });
  const std::vector<double> rates = Rates(samples, k::OpsPerIteration(isa, type, op), 1e9);
  const double best = rates.empty() ? 0 : *std::max_element(rates.begin(), rates.end());
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
