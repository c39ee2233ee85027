// The arithmetic peak the training step is set against: `sysbench flops`'s own kernel for the
// dtype, run briefly on one thread, for the instruction set the train kernels are built for
// (x86-64 baseline: SSE2 packed mul and add, no FMA) and for the widest the CPU has.
#pragma once

#include <optional>
#include <string>

namespace sysbench::train {

struct FlopsPeak {
  std::string kernel;  // e.g. "sse f32 mul+add (mulps+addps)"
  double gflops = 0;   // one thread, measured
};

// is_f64: the dtype; widest: the widest instruction set the CPU has (AVX-512, AVX2, SSE) with
// FMA where it exists, else the baseline one. quick: fewer, shorter rounds. nullopt where flops
// has no such kernel here.
std::optional<FlopsPeak> MeasureFlopsPeak(bool is_f64, bool widest, bool quick);

}  // namespace sysbench::train
