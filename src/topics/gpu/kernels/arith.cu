// The GPU arithmetic kernels: long independent chains of one instruction on the CUDA cores, and
// warp-wide matrix instructions (mma.sync) on the tensor cores. Every chain's end value is checked
// on the host, so no chain can be deleted or shortened by the compiler.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "topics/gpu/gpu_runtime.h"
#include "topics/gpu/kernels/wave.cuh"

namespace sysbench::gpu {
namespace {

constexpr int kChains = 8;   // independent chains per thread, so latency never binds
constexpr int kUnroll = 16;  // chain steps per pass of the loop
constexpr int kThreads = 256;
constexpr int kMmaChains = 8;  // independent accumulators per warp

// One step of each CUDA-core chain: acc = acc * b + c (dp4a: acc += dot(b, c) of four bytes).
// The constants come from kernel arguments, so the compiler cannot fold the steps away.
struct F64 {
  using Acc = double;
  using Arg = double;
  static constexpr double kOps = 2;
  __device__ static Acc Start(int chain) { return 1.0 + chain; }
  __device__ static Acc Step(Acc a, Arg b, Arg c) { return fma(a, b, c); }
  __device__ static double Out(Acc a) { return a; }
};
struct F32 {
  using Acc = float;
  using Arg = float;
  static constexpr double kOps = 2;
  __device__ static Acc Start(int chain) { return 1.0f + static_cast<float>(chain); }
  __device__ static Acc Step(Acc a, Arg b, Arg c) { return fmaf(a, b, c); }
  __device__ static double Out(Acc a) { return a; }
};
struct F16 {
  using Acc = __half2;
  using Arg = __half2;
  static constexpr double kOps = 4;  // two lanes, an FMA each
  __device__ static Acc Start(int chain) {
    return __float2half2_rn(1.0f + static_cast<float>(chain));
  }
  __device__ static Acc Step(Acc a, Arg b, Arg c) { return __hfma2(a, b, c); }
  __device__ static double Out(Acc a) { return __low2float(a) + __high2float(a); }
};
struct Bf16 {
  using Acc = __nv_bfloat162;
  using Arg = __nv_bfloat162;
  static constexpr double kOps = 4;
  __device__ static Acc Start(int chain) {
    return __float2bfloat162_rn(1.0f + static_cast<float>(chain));
  }
  __device__ static Acc Step(Acc a, Arg b, Arg c) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    return __hfma2(a, b, c);
#else
    return a;  // no bfloat16 FMA before compute capability 8.0: the case is skipped there
#endif
  }
  __device__ static double Out(Acc a) { return __low2float(a) + __high2float(a); }
};
struct Int32 {
  using Acc = int;
  using Arg = int;
  static constexpr double kOps = 2;
  __device__ static Acc Start(int chain) { return 1 + chain; }
  __device__ static Acc Step(Acc a, Arg b, Arg c) { return a * b + c; }
  __device__ static double Out(Acc a) { return a; }
};
struct Int8Dp4a {
  using Acc = int;
  using Arg = int;
  static constexpr double kOps = 8;  // four multiplies, four adds
  __device__ static Acc Start(int chain) { return 1 + chain; }
  __device__ static Acc Step(Acc a, Arg b, Arg c) { return __dp4a(b, c, a); }
  __device__ static double Out(Acc a) { return a; }
};

template <class P>
__global__ void __launch_bounds__(kThreads)
    Chains(typename P::Arg b, typename P::Arg c, std::uint64_t passes, double* out,
           long long* spans) {
  typename P::Acc acc[kChains];
#pragma unroll
  for (int i = 0; i < kChains; ++i) acc[i] = P::Start(i);
  __syncthreads();
  const long long start = clock64();
  for (std::uint64_t pass = 0; pass < passes; ++pass) {
#pragma unroll
    for (int u = 0; u < kUnroll; ++u) {
#pragma unroll
      for (int i = 0; i < kChains; ++i) acc[i] = P::Step(acc[i], b, c);
    }
  }
  __syncthreads();
  const long long end = clock64();
  const std::size_t thread = std::size_t{blockIdx.x} * blockDim.x + threadIdx.x;
#pragma unroll
  for (int i = 0; i < kChains; ++i) out[thread * kChains + i] = P::Out(acc[i]);
  if (threadIdx.x == 0) spans[blockIdx.x] = end - start;
}

// Host side of each chain: the kernel's arguments and the value chain i ends at after `steps`.
// The floating-point chains step by a power of two from small integers, so every value is exact.
template <class P>
struct ChainPlan;
template <>
struct ChainPlan<F64> {
  static double B() { return 1.0; }
  static double C() { return 1.0 / 1024; }
  static double End(int chain, double steps) { return 1.0 + chain + steps / 1024; }
  static double MaxSteps() { return 1e12; }
};
template <>
struct ChainPlan<F32> {
  static float B() { return 1.0f; }
  static float C() { return 1.0f / 1024; }
  static double End(int chain, double steps) { return 1.0 + chain + steps / 1024; }
  static double MaxSteps() { return 8e6; }  // 24 significant bits: 1 + 7 + 8e6 / 1024 < 2^14
};
// Half precision has 11 (8 for bfloat16) significant bits: those chains multiply by one and add
// zero, so each ends where it started (the instruction still runs: its operands are unknown to
// the compiler).
template <>
struct ChainPlan<F16> {
  static __half2 B() { return __float2half2_rn(1.0f); }
  static __half2 C() { return __float2half2_rn(0.0f); }
  static double End(int chain, double) { return 2.0 * (1 + chain); }
  static double MaxSteps() { return 1e15; }
};
template <>
struct ChainPlan<Bf16> {
  static __nv_bfloat162 B() { return __float2bfloat162_rn(1.0f); }
  static __nv_bfloat162 C() { return __float2bfloat162_rn(0.0f); }
  static double End(int chain, double) { return 2.0 * (1 + chain); }
  static double MaxSteps() { return 1e15; }
};
// Integers wrap modulo 2^32, as the hardware does.
inline double Wrapped(std::uint64_t value) {
  return static_cast<double>(static_cast<std::int32_t>(static_cast<std::uint32_t>(value)));
}
template <>
struct ChainPlan<Int32> {
  static int B() { return 1; }
  static int C() { return 3; }
  static double End(int chain, double steps) {
    return Wrapped(1 + static_cast<std::uint64_t>(chain) + 3 * static_cast<std::uint64_t>(steps));
  }
  static double MaxSteps() { return 1e15; }
};
template <>
struct ChainPlan<Int8Dp4a> {
  static int B() { return 0x01010101; }  // four bytes of 1: each step adds 4
  static int C() { return 0x01010101; }
  static double End(int chain, double steps) {
    return Wrapped(1 + static_cast<std::uint64_t>(chain) + 4 * static_cast<std::uint64_t>(steps));
  }
  static double MaxSteps() { return 1e15; }
};

template <class P>
ArithmeticLaunch LaunchChains(std::uint64_t passes, int sm_count) {
  using Plan = ChainPlan<P>;
  // No more work than the end values can be checked exactly for.
  passes = std::min(passes, static_cast<std::uint64_t>(Plan::MaxSteps() / kUnroll));
  const double steps = static_cast<double>(passes) * kUnroll;
  const int blocks = detail::WaveBlocks(Chains<P>, kThreads, sm_count);
  const std::size_t threads = static_cast<std::size_t>(blocks) * kThreads;
  const double operations = static_cast<double>(threads) * kChains * steps * P::kOps;
  return detail::TimedWave<double>(
      blocks, threads * kChains, operations,
      [&](double* out, long long* spans) {
        Chains<P><<<blocks, kThreads>>>(Plan::B(), Plan::C(), passes, out, spans);
      },
      [&](std::size_t i) { return Plan::End(static_cast<int>(i % kChains), steps); });
}

// mma.sync on the tensor cores: every warp keeps kMmaChains accumulator tiles and adds the product
// of all-ones tiles to each (m16n8k16: every element grows by 16 per instruction; m16n8k32 int8
// by 32). Each thread holds four accumulator values per tile.
// One warp-wide instruction on accumulator tile d, A and B tiles of ones in registers.
#define SYSBENCH_MMA_SYNC(shape_and_types, K)                           \
  asm volatile("mma.sync.aligned." shape_and_types                      \
               " {%0,%1,%2,%3}, {%4,%4,%4,%4}, {%5,%5}, {%0,%1,%2,%3};" \
               : K(d[0]), K(d[1]), K(d[2]), K(d[3])                     \
               : "r"(a), "r"(b))

template <detail::TensorType kind>
struct Mma {
  static constexpr bool kInt = kind == detail::TensorType::kInt8;
  using Acc = std::conditional_t<kInt, int, float>;
  static constexpr std::uint32_t kOnes = detail::OnesOf(kind);
  static constexpr int kGrowth = detail::InnerOf(kind);
  static constexpr double kOps = 2.0 * 16 * 8 * kGrowth;
  __device__ static void Step(Acc (&d)[4], std::uint32_t a, std::uint32_t b) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    if constexpr (kind == detail::TensorType::kF16) {
      SYSBENCH_MMA_SYNC("m16n8k16.row.col.f32.f16.f16.f32", "+f");
    } else if constexpr (kind == detail::TensorType::kBf16) {
      SYSBENCH_MMA_SYNC("m16n8k16.row.col.f32.bf16.bf16.f32", "+f");
    } else {
      SYSBENCH_MMA_SYNC("m16n8k32.row.col.s32.s8.s8.s32", "+r");
    }
#endif
  }
};
#undef SYSBENCH_MMA_SYNC

template <class M>
__global__ void __launch_bounds__(kThreads)
    MmaChains(std::uint32_t a, std::uint32_t b, std::uint64_t passes, double* out,
              long long* spans) {
  typename M::Acc d[kMmaChains][4];
#pragma unroll
  for (int i = 0; i < kMmaChains; ++i) {
#pragma unroll
    for (int j = 0; j < 4; ++j) d[i][j] = static_cast<typename M::Acc>(i);
  }
  __syncthreads();
  const long long start = clock64();
  for (std::uint64_t pass = 0; pass < passes; ++pass) {
#pragma unroll
    for (int i = 0; i < kMmaChains; ++i) M::Step(d[i], a, b);
  }
  __syncthreads();
  const long long end = clock64();
  const std::size_t thread = std::size_t{blockIdx.x} * blockDim.x + threadIdx.x;
#pragma unroll
  for (int i = 0; i < kMmaChains; ++i) {
#pragma unroll
    for (int j = 0; j < 4; ++j) out[(thread * kMmaChains + i) * 4 + j] = d[i][j];
  }
  if (threadIdx.x == 0) spans[blockIdx.x] = end - start;
}

template <class M>
ArithmeticLaunch LaunchMma(std::uint64_t passes, int sm_count) {
  passes = std::min(passes, detail::kMaxExactGrowth / M::kGrowth);
  const int blocks = detail::WaveBlocks(MmaChains<M>, kThreads, sm_count);
  const std::size_t threads = static_cast<std::size_t>(blocks) * kThreads;
  const double warps = static_cast<double>(threads) / 32;
  const double operations = warps * kMmaChains * static_cast<double>(passes) * M::kOps;
  return detail::TimedWave<double>(
      blocks, threads * kMmaChains * 4, operations,
      [&](double* out, long long* spans) {
        MmaChains<M><<<blocks, kThreads>>>(M::kOnes, M::kOnes, passes, out, spans);
      },
      [&](std::size_t i) {
        const auto chain = static_cast<double>((i / 4) % kMmaChains);
        return chain + static_cast<double>(passes) * M::kGrowth;
      });
}

}  // namespace

std::string ArithmeticUnsupported(const DeviceFacts& device, GpuOp op) {
  const int cc = device.cc_major * 10 + device.cc_minor;
  switch (op) {
    case GpuOp::kBf16Fma:
    case GpuOp::kF16Mma:
    case GpuOp::kBf16Mma:
    case GpuOp::kInt8Mma:
      return cc >= 80 ? "" : "needs compute capability 8.0 or later";
    case GpuOp::kF16Wgmma:
    case GpuOp::kBf16Wgmma:
    case GpuOp::kInt8Wgmma:
      return cc == 90 ? "" : "wgmma runs on compute capability 9.0 (Hopper) alone";
    default:
      return "";
  }
}

ArithmeticLaunch LaunchArithmetic(int device, GpuOp op, std::uint64_t work) {
  ArithmeticLaunch failed;
  cudaError_t status = cudaSetDevice(device);
  int sm_count = 0;
  if (status == cudaSuccess) {
    status = cudaDeviceGetAttribute(&sm_count, cudaDevAttrMultiProcessorCount, device);
  }
  if (status != cudaSuccess) {
    failed.error = detail::CudaError(status);
    return failed;
  }
  switch (op) {
    case GpuOp::kF64Fma:
      return LaunchChains<F64>(work, sm_count);
    case GpuOp::kF32Fma:
      return LaunchChains<F32>(work, sm_count);
    case GpuOp::kF16Fma:
      return LaunchChains<F16>(work, sm_count);
    case GpuOp::kBf16Fma:
      return LaunchChains<Bf16>(work, sm_count);
    case GpuOp::kInt32Mad:
      return LaunchChains<Int32>(work, sm_count);
    case GpuOp::kInt8Dp4a:
      return LaunchChains<Int8Dp4a>(work, sm_count);
    case GpuOp::kF16Mma:
      return LaunchMma<Mma<detail::TensorType::kF16>>(work, sm_count);
    case GpuOp::kBf16Mma:
      return LaunchMma<Mma<detail::TensorType::kBf16>>(work, sm_count);
    case GpuOp::kInt8Mma:
      return LaunchMma<Mma<detail::TensorType::kInt8>>(work, sm_count);
    case GpuOp::kF16Wgmma:
    case GpuOp::kBf16Wgmma:
    case GpuOp::kInt8Wgmma:
      return detail::LaunchWgmma(op, work, sm_count);
  }
  failed.error = "unknown operation";
  return failed;
}

}  // namespace sysbench::gpu
