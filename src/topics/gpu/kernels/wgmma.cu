// Hopper's warpgroup matrix instruction (wgmma), sm_90a code only: two warpgroups per SM each keep
// one 64x256 accumulator and add to it the product of all-ones tiles in shared memory, so every
// accumulator grows by K (16, or 32 for int8) per instruction and its end value is checked.
#include <cuda_runtime.h>

#include <cstdint>
#include <type_traits>

#include "topics/gpu/gpu_runtime.h"
#include "topics/gpu/kernels/wave.cuh"

namespace sysbench::gpu::detail {
namespace {

constexpr int kWarpgroups = 2;  // per block, one block per SM
constexpr int kThreads = 128 * kWarpgroups;
constexpr int kAccumulators = 128;  // per thread: 64x256 values over 128 threads
constexpr int kPerCommit = 8;       // wgmma instructions per commit group
constexpr int kTileBytes = 16384;   // all-ones A (first 4 KiB) and B (the rest)

// The 128 accumulator operands, as inline-assembly operands K(d[i]).
#define SYSBENCH_WGMMA_ACCUMULATORS(K, d)                                                       \
  K(d[0]), K(d[1]), K(d[2]), K(d[3]), K(d[4]), K(d[5]), K(d[6]), K(d[7]), K(d[8]), K(d[9]),     \
      K(d[10]), K(d[11]), K(d[12]), K(d[13]), K(d[14]), K(d[15]), K(d[16]), K(d[17]), K(d[18]), \
      K(d[19]), K(d[20]), K(d[21]), K(d[22]), K(d[23]), K(d[24]), K(d[25]), K(d[26]), K(d[27]), \
      K(d[28]), K(d[29]), K(d[30]), K(d[31]), K(d[32]), K(d[33]), K(d[34]), K(d[35]), K(d[36]), \
      K(d[37]), K(d[38]), K(d[39]), K(d[40]), K(d[41]), K(d[42]), K(d[43]), K(d[44]), K(d[45]), \
      K(d[46]), K(d[47]), K(d[48]), K(d[49]), K(d[50]), K(d[51]), K(d[52]), K(d[53]), K(d[54]), \
      K(d[55]), K(d[56]), K(d[57]), K(d[58]), K(d[59]), K(d[60]), K(d[61]), K(d[62]), K(d[63]), \
      K(d[64]), K(d[65]), K(d[66]), K(d[67]), K(d[68]), K(d[69]), K(d[70]), K(d[71]), K(d[72]), \
      K(d[73]), K(d[74]), K(d[75]), K(d[76]), K(d[77]), K(d[78]), K(d[79]), K(d[80]), K(d[81]), \
      K(d[82]), K(d[83]), K(d[84]), K(d[85]), K(d[86]), K(d[87]), K(d[88]), K(d[89]), K(d[90]), \
      K(d[91]), K(d[92]), K(d[93]), K(d[94]), K(d[95]), K(d[96]), K(d[97]), K(d[98]), K(d[99]), \
      K(d[100]), K(d[101]), K(d[102]), K(d[103]), K(d[104]), K(d[105]), K(d[106]), K(d[107]),   \
      K(d[108]), K(d[109]), K(d[110]), K(d[111]), K(d[112]), K(d[113]), K(d[114]), K(d[115]),   \
      K(d[116]), K(d[117]), K(d[118]), K(d[119]), K(d[120]), K(d[121]), K(d[122]), K(d[123]),   \
      K(d[124]), K(d[125]), K(d[126]), K(d[127])

// The accumulator list of the instruction text: %0 .. %127; the descriptors are %128 and %129.
#define SYSBENCH_WGMMA_REGISTERS                                                                   \
  "{"                                                                                              \
  "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, "                         \
  "%16, %17, %18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, "               \
  "%32, %33, %34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, "               \
  "%48, %49, %50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63, "               \
  "%64, %65, %66, %67, %68, %69, %70, %71, %72, %73, %74, %75, %76, %77, %78, %79, "               \
  "%80, %81, %82, %83, %84, %85, %86, %87, %88, %89, %90, %91, %92, %93, %94, %95, "               \
  "%96, %97, %98, %99, %100, %101, %102, %103, %104, %105, %106, %107, %108, %109, %110, %111, "   \
  "%112, %113, %114, %115, %116, %117, %118, %119, %120, %121, %122, %123, %124, %125, %126, %127" \
  "}"

// A shared-memory matrix descriptor without swizzling: core matrices of 8 rows of 16 bytes, 128
// bytes apart along K and 256 bytes apart along M or N. With all-ones tiles every layout gives the
// same product; these offsets keep each read inside the tile.
__device__ std::uint64_t Descriptor(const void* shared) {
  const auto address = static_cast<std::uint32_t>(__cvta_generic_to_shared(shared));
  std::uint64_t descriptor = (address & 0x3FFFFu) >> 4;
  descriptor |= std::uint64_t{128 >> 4} << 16;
  descriptor |= std::uint64_t{256 >> 4} << 32;
  return descriptor;
}

// One warpgroup-wide instruction adding A x B (descriptors a, b) to the accumulators d; the
// predicate %130 (always 1) says "accumulate".
#define SYSBENCH_WGMMA(shape_and_types, scales, K)                                 \
  asm volatile(                                                                    \
      "{\n.reg .pred p;\nsetp.ne.b32 p, %130, 0;\n"                                \
      "wgmma.mma_async.sync.aligned." shape_and_types " " SYSBENCH_WGMMA_REGISTERS \
      ", %128, %129, p" scales ";\n}"                                              \
      : SYSBENCH_WGMMA_ACCUMULATORS(K, d)                                          \
      : "l"(a), "l"(b), "r"(1))

template <TensorType kind>
struct Wgmma {
  static constexpr bool kInt = kind == TensorType::kInt8;
  using Acc = std::conditional_t<kInt, int, float>;
  static constexpr std::uint32_t kOnes = OnesOf(kind);
  static constexpr int kGrowth = InnerOf(kind);
  __device__ static void Step(Acc (&d)[kAccumulators], std::uint64_t a, std::uint64_t b) {
#if defined(__CUDA_ARCH_FEAT_SM90_ALL)
    // Floating-point forms take the scale of A and B (1) and whether each is transposed (no).
    if constexpr (kind == TensorType::kF16) {
      SYSBENCH_WGMMA("m64n256k16.f32.f16.f16", ", 1, 1, 0, 0", "+f");
    } else if constexpr (kind == TensorType::kBf16) {
      SYSBENCH_WGMMA("m64n256k16.f32.bf16.bf16", ", 1, 1, 0, 0", "+f");
    } else {
      SYSBENCH_WGMMA("m64n256k32.s32.s8.s8", "", "+r");
    }
#endif
  }
};
#undef SYSBENCH_WGMMA

// Keeps the compiler from moving a use of an accumulator above the wait that completes it.
__device__ void Settled(float& value) { asm volatile("" : "+f"(value)::"memory"); }
__device__ void Settled(int& value) { asm volatile("" : "+r"(value)::"memory"); }

template <class W>
__global__ void __launch_bounds__(kThreads, 1)
    WgmmaChains(std::uint32_t ones, std::uint64_t passes, double* out, long long* spans) {
  __shared__ alignas(128) std::uint32_t tile[kTileBytes / 4];
  for (int i = static_cast<int>(threadIdx.x); i < kTileBytes / 4; i += kThreads) tile[i] = ones;
  // The tensor cores read shared memory through the async proxy: order the stores before them.
  asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
  __syncthreads();
  const std::uint64_t a = Descriptor(tile);
  const std::uint64_t b = Descriptor(tile + 1024);
  typename W::Acc d[kAccumulators];
#pragma unroll
  for (int i = 0; i < kAccumulators; ++i) d[i] = 0;
  const long long start = clock64();
  for (std::uint64_t pass = 0; pass < passes; ++pass) {
    asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
#pragma unroll
    for (int i = 0; i < kPerCommit; ++i) W::Step(d, a, b);
    asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
  }
#pragma unroll
  for (int i = 0; i < kAccumulators; ++i) Settled(d[i]);
  __syncthreads();
  const long long end = clock64();
  const std::size_t thread = std::size_t{blockIdx.x} * blockDim.x + threadIdx.x;
#pragma unroll
  for (int i = 0; i < kAccumulators; ++i) out[thread * kAccumulators + i] = d[i];
  if (threadIdx.x == 0) spans[blockIdx.x] = end - start;
}

template <class W>
ArithmeticLaunch Launch(std::uint64_t passes, int sm_count) {
  passes = std::min(passes, kMaxExactGrowth / (kPerCommit * W::kGrowth));
  const double per_accumulator = static_cast<double>(passes) * kPerCommit * W::kGrowth;
  const int blocks = sm_count;
  const std::size_t threads = static_cast<std::size_t>(blocks) * kThreads;
  // Each instruction: 64 x 256 x K multiply-adds, K = growth.
  const double operations = static_cast<double>(blocks) * kWarpgroups *
                            static_cast<double>(passes) * kPerCommit * 2.0 * 64 * 256 * W::kGrowth;
  return TimedWave<double>(
      blocks, threads * kAccumulators, operations,
      [&](double* out, long long* spans) {
        WgmmaChains<W><<<blocks, kThreads>>>(W::kOnes, passes, out, spans);
      },
      [&](std::size_t) { return per_accumulator; });
}

}  // namespace

ArithmeticLaunch LaunchWgmma(GpuOp op, std::uint64_t work, int sm_count) {
  switch (op) {
    case GpuOp::kF16Wgmma:
      return Launch<Wgmma<TensorType::kF16>>(work, sm_count);
    case GpuOp::kBf16Wgmma:
      return Launch<Wgmma<TensorType::kBf16>>(work, sm_count);
    case GpuOp::kInt8Wgmma:
      return Launch<Wgmma<TensorType::kInt8>>(work, sm_count);
    default:
      break;
  }
  ArithmeticLaunch out;
  out.error = "not a wgmma operation";
  return out;
}

}  // namespace sysbench::gpu::detail
