// Dispatch and metadata of the flops kernels (baseline flags: no ISA-specific code here).
#include "topics/flops/kernels/flops.h"

#include <cstring>
#include <initializer_list>

namespace sysbench::kernels {
namespace {

bool IsDot(FlopsType type) {
  return type == FlopsType::kBf16 || type == FlopsType::kInt8 || type == FlopsType::kInt16;
}

template <typename T>
void Put(unsigned char* reg, int lane, T value) {
  std::memcpy(reg + static_cast<std::size_t>(lane) * sizeof(T), &value, sizeof(T));
}

// Fills every lane of a register; `value(lane)` gives the lane's value.
template <typename T, typename F>
void Fill(unsigned char* reg, F value) {
  for (int lane = 0; lane < kFlopsVectorBytes / static_cast<int>(sizeof(T)); ++lane) {
    Put<T>(reg, lane, value(lane));
  }
}

// Float constants per operation (see flops.h for the rounds):
//   fma, mul+add: x -> x * 0.999 + 0.0011 converges to 1.1 from the start values near 1;
//   mul: x * 1.0009765625 then x * (1 / 1.0009765625 rounded): the product stays within a few
//        ulps of the start value per pass (random-walk rounding), far from denormals/overflow;
//   add: x + 0.5 then x - 0.4375: grows by 0.0625 per pass, exact while small.
struct FloatConstants {
  double a, b, c;
};

FloatConstants ConstantsFor(FlopsOp op) {
  switch (op) {
    case FlopsOp::kFma:
    case FlopsOp::kMulAdd:
      return {0.999, 0.0011, 0.0};
    case FlopsOp::kMul:
      return {1.0009765625, 1.0, 1.0 / 1.0009765625};
    case FlopsOp::kAdd:
      return {1.0, 0.5, -0.4375};
  }
  return {0, 0, 0};
}

std::uint16_t Bf16Bits(float value) {  // exact for the values used here (no rounding needed)
  std::uint32_t bits = 0;
  std::memcpy(&bits, &value, sizeof bits);
  return static_cast<std::uint16_t>(bits >> 16);
}

// AMX tiles (flops.h): C0..C3 (tiles 0-3) start at 0; int8: A0 = 1, A1 = 2 (unsigned bytes),
// B0 = 3, B1 = -1 (signed), so each pass adds 64 x (3, -1, 6, -2) to every element of C0..C3;
// bf16: A0 = 1, A1 = 2, B0 = 0.5, B1 = -0.25, so each pass adds 32 x (0.5, -0.25, 1, -0.5) = 16,
// -8, 32, -16: exact in f32 while the sums stay below 2^24.
void InitAmxTiles(FlopsState& state, FlopsType type) {
  const auto fill_u8 = [](unsigned char* tile, int value) {
    std::memset(tile, value & 0xFF, kAmxTileBytes);
  };
  const auto fill_bf16 = [](unsigned char* tile, float value) {
    for (int i = 0; i < kAmxTileBytes / 2; ++i) Put<std::uint16_t>(tile, i, Bf16Bits(value));
  };
  if (type == FlopsType::kInt8) {
    fill_u8(state.tiles[4], 1);
    fill_u8(state.tiles[5], 2);
    fill_u8(state.tiles[6], 3);
    fill_u8(state.tiles[7], -1);
  } else {
    fill_bf16(state.tiles[4], 1.0f);
    fill_bf16(state.tiles[5], 2.0f);
    fill_bf16(state.tiles[6], 0.5f);
    fill_bf16(state.tiles[7], -0.25f);
  }
}

}  // namespace

int ElementBytes(FlopsType type) {
  switch (type) {
    case FlopsType::kF64:
      return 8;
    case FlopsType::kF32:
      return 4;
    case FlopsType::kBf16:
    case FlopsType::kF16:
    case FlopsType::kInt16:
      return 2;
    case FlopsType::kInt8:
      return 1;
    case FlopsType::kInt32:
      return 4;
  }
  return 0;
}

int RegisterBytes(FlopsIsa isa, FlopsType type) {
  switch (isa) {
    case FlopsIsa::kScalar:
      return ElementBytes(type);
    case FlopsIsa::kSse:
      return 16;
    case FlopsIsa::kAvx2:
      return 32;
    case FlopsIsa::kAvx512:
    case FlopsIsa::kAmx:
      return 64;
  }
  return 0;
}

double OpsPerIteration(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (isa == FlopsIsa::kAmx) {
    // Each tile dot product: 16 x 16 results, each the sum of one 64-byte row of products
    // (64 int8 or 32 bf16 pairs), a multiply and an add per product.
    const int products = kAmxTileBytes / kAmxTileRows / ElementBytes(type);
    return kAmxDotsPerIteration * kAmxTileRows * kAmxTileRows * products * 2.0;
  }
  const int bytes = RegisterBytes(isa, type);
  double per_lane_instruction = 1.0;  // mul, add, and each half of mul+add
  int lanes = bytes / ElementBytes(type);
  if (IsDot(type)) {
    // Counted per element pair: one multiply and one add for each product.
    per_lane_instruction = 2.0;
  } else if (op == FlopsOp::kFma) {
    per_lane_instruction = 2.0;
  }
  return InstructionsPerIteration(isa, type, op) * per_lane_instruction * lanes;
}

int ClockChainAddsPerIteration(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (FindFlopsKernel(isa, type, op) == nullptr) return 0;
  if (isa == FlopsIsa::kAmx) return kAmxDotsPerIteration * kClockChainAddsPerTileInstruction;
  const int per_instruction =
      type == FlopsType::kBf16 ? kClockChainAddsPerSlowInstruction : kClockChainAddsPerInstruction;
  return InstructionsPerIteration(isa, type, op) * per_instruction;
}

const char* Instruction(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (FindFlopsKernel(isa, type, op) == nullptr) return "";
  const bool f64 = type == FlopsType::kF64;
  if (isa == FlopsIsa::kAmx) return type == FlopsType::kInt8 ? "tdpbusd tmm" : "tdpbf16ps tmm";
  switch (type) {
    case FlopsType::kF64:
    case FlopsType::kF32:
      switch (isa) {
        case FlopsIsa::kScalar:
          switch (op) {
            case FlopsOp::kFma:
              return f64 ? "vfmadd213sd" : "vfmadd213ss";
            case FlopsOp::kMulAdd:
              return f64 ? "mulsd+addsd" : "mulss+addss";
            case FlopsOp::kMul:
              return f64 ? "mulsd" : "mulss";
            case FlopsOp::kAdd:
              return f64 ? "addsd" : "addss";
          }
          break;
        case FlopsIsa::kSse:
          switch (op) {
            case FlopsOp::kFma:
              return f64 ? "vfmadd213pd xmm" : "vfmadd213ps xmm";
            case FlopsOp::kMulAdd:
              return f64 ? "mulpd+addpd xmm" : "mulps+addps xmm";
            case FlopsOp::kMul:
              return f64 ? "mulpd xmm" : "mulps xmm";
            case FlopsOp::kAdd:
              return f64 ? "addpd xmm" : "addps xmm";
          }
          break;
        case FlopsIsa::kAvx2:
          switch (op) {
            case FlopsOp::kFma:
              return f64 ? "vfmadd213pd ymm" : "vfmadd213ps ymm";
            case FlopsOp::kMulAdd:
              return f64 ? "vmulpd+vaddpd ymm" : "vmulps+vaddps ymm";
            case FlopsOp::kMul:
              return f64 ? "vmulpd ymm" : "vmulps ymm";
            case FlopsOp::kAdd:
              return f64 ? "vaddpd ymm" : "vaddps ymm";
          }
          break;
        case FlopsIsa::kAmx:
          break;
        case FlopsIsa::kAvx512:
          switch (op) {
            case FlopsOp::kFma:
              return f64 ? "vfmadd213pd zmm" : "vfmadd213ps zmm";
            case FlopsOp::kMulAdd:
              return f64 ? "vmulpd+vaddpd zmm" : "vmulps+vaddps zmm";
            case FlopsOp::kMul:
              return f64 ? "vmulpd zmm" : "vmulps zmm";
            case FlopsOp::kAdd:
              return f64 ? "vaddpd zmm" : "vaddps zmm";
          }
          break;
      }
      break;
    case FlopsType::kInt32: {
      const bool sse = isa == FlopsIsa::kSse;
      const bool zmm = isa == FlopsIsa::kAvx512;
      switch (op) {
        case FlopsOp::kMulAdd:
          return sse ? "pmulld+paddd xmm" : zmm ? "vpmulld+vpaddd zmm" : "vpmulld+vpaddd ymm";
        case FlopsOp::kMul:
          return sse ? "pmulld xmm" : zmm ? "vpmulld zmm" : "vpmulld ymm";
        case FlopsOp::kAdd:
          return sse ? "paddd xmm" : zmm ? "vpaddd zmm" : "vpaddd ymm";
        case FlopsOp::kFma:
          return "";
      }
      break;
    }
    case FlopsType::kInt8:
      return isa == FlopsIsa::kAvx512 ? "vpdpbusd zmm" : "{vex} vpdpbusd ymm";
    case FlopsType::kInt16:
      return isa == FlopsIsa::kAvx512 ? "vpdpwssd zmm" : "{vex} vpdpwssd ymm";
    case FlopsType::kBf16:
      return "vdpbf16ps zmm";
    case FlopsType::kF16:
      return "vfmadd213ph zmm";
  }
  return "";
}

FlopsFn FindFlopsKernel(FlopsIsa isa, FlopsType type, FlopsOp op) {
  for (auto table : {FlopsKernelSse2, FlopsKernelSse41, FlopsKernelFma128, FlopsKernelAvx2,
                     FlopsKernelAvx512, FlopsKernelAmx}) {
    if (FlopsFn fn = table(isa, type, op)) return fn;
  }
  return nullptr;
}

const char* RequiredExtensions(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (FindFlopsKernel(isa, type, op) == nullptr) return "";
  if (isa == FlopsIsa::kAmx) {
    return type == FlopsType::kInt8 ? "amx_tile+amx_int8" : "amx_tile+amx_bf16";
  }
  switch (type) {
    case FlopsType::kF64:
    case FlopsType::kF32:
      switch (isa) {
        case FlopsIsa::kScalar:
        case FlopsIsa::kSse:
          return op == FlopsOp::kFma ? "avx+fma" : "sse2";
        case FlopsIsa::kAvx2:
          return "avx2+fma";
        case FlopsIsa::kAvx512:
        case FlopsIsa::kAmx:
          return "avx512f";
      }
      break;
    case FlopsType::kInt32:
      return isa == FlopsIsa::kSse ? "sse4.1" : isa == FlopsIsa::kAvx2 ? "avx2" : "avx512f";
    case FlopsType::kInt8:
    case FlopsType::kInt16:
      return isa == FlopsIsa::kAvx512 ? "avx512_vnni" : "avx_vnni";
    case FlopsType::kBf16:
      return "avx512_bf16";
    case FlopsType::kF16:
      return "avx512_fp16";
  }
  return "";
}

void InitFlopsState(FlopsState& state, FlopsIsa isa, FlopsType type, FlopsOp op) {
  std::memset(state.acc, 0, sizeof state.acc);
  std::memset(state.a, 0, sizeof state.a);
  std::memset(state.b, 0, sizeof state.b);
  std::memset(state.c, 0, sizeof state.c);
  std::memset(state.tiles, 0, sizeof state.tiles);
  state.clock_chain = 0;
  state.interleave_clock_chain = false;
  if (isa == FlopsIsa::kAmx) {
    InitAmxTiles(state, type);
    return;
  }
  const FloatConstants k = ConstantsFor(op);
  switch (type) {
    case FlopsType::kF64:
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<double>(state.acc[i], [i](int j) { return 1.0 + i / 16.0 + j / 1024.0; });
      }
      Fill<double>(state.a, [&](int) { return k.a; });
      Fill<double>(state.b, [&](int) { return k.b; });
      Fill<double>(state.c, [&](int) { return k.c; });
      break;
    case FlopsType::kF32:
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<float>(state.acc[i],
                    [i](int j) { return static_cast<float>(1.0 + i / 16.0 + j / 1024.0); });
      }
      Fill<float>(state.a, [&](int) { return static_cast<float>(k.a); });
      Fill<float>(state.b, [&](int) { return static_cast<float>(k.b); });
      Fill<float>(state.c, [&](int) { return static_cast<float>(k.c); });
      break;
    case FlopsType::kF16:
      // IEEE half: accumulators 2.0 (0x4000), a = 0.75 (0x3a00), b = 0.25 (0x3400): the FMA
      // x -> 0.75 x + 0.25 converges to 1.
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<std::uint16_t>(state.acc[i], [](int) { return std::uint16_t{0x4000}; });
      }
      Fill<std::uint16_t>(state.a, [](int) { return std::uint16_t{0x3a00}; });
      Fill<std::uint16_t>(state.b, [](int) { return std::uint16_t{0x3400}; });
      break;
    case FlopsType::kBf16:
      // f32 accumulators; round 1 adds 2 x (1 x 0.5) = 1, round 2 adds 2 x (1 x -0.375) = -0.75.
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<float>(state.acc[i], [i](int j) { return static_cast<float>(i + j); });
      }
      Fill<std::uint16_t>(state.a, [](int) { return Bf16Bits(1.0f); });
      Fill<std::uint16_t>(state.b, [](int) { return Bf16Bits(0.5f); });
      Fill<std::uint16_t>(state.c, [](int) { return Bf16Bits(-0.375f); });
      break;
    case FlopsType::kInt8:
      // int32 accumulators; a: unsigned bytes 1, 2, 3, 4; b: signed 2; c: signed -1.
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<std::int32_t>(state.acc[i], [i](int j) { return i + j; });
      }
      Fill<std::uint8_t>(state.a, [](int j) { return static_cast<std::uint8_t>(1 + j % 4); });
      Fill<std::int8_t>(state.b, [](int) { return std::int8_t{2}; });
      Fill<std::int8_t>(state.c, [](int) { return std::int8_t{-1}; });
      break;
    case FlopsType::kInt16:
      // int32 accumulators; a: 3, -5 alternating; b: 2; c: -1.
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<std::int32_t>(state.acc[i], [i](int j) { return i + j; });
      }
      Fill<std::int16_t>(state.a,
                         [](int j) { return static_cast<std::int16_t>(j % 2 == 0 ? 3 : -5); });
      Fill<std::int16_t>(state.b, [](int) { return std::int16_t{2}; });
      Fill<std::int16_t>(state.c, [](int) { return std::int16_t{-1}; });
      break;
    case FlopsType::kInt32:
      // Wrapping: mul+add x -> 3x on the multiplying chains, + 7 per add on the adding ones; mul x
      // -> 3x then x 5; add x -> x + 7 then + -3.
      for (int i = 0; i < kFlopsAccumulators; ++i) {
        Fill<std::int32_t>(state.acc[i], [i](int j) { return 1 + i + j; });
      }
      Fill<std::int32_t>(state.a, [](int) { return 3; });
      Fill<std::int32_t>(state.b, [](int) { return 7; });
      Fill<std::int32_t>(state.c, [op](int) { return op == FlopsOp::kAdd ? -3 : 5; });
      break;
  }
}

}  // namespace sysbench::kernels
