// AMX tile kernels: TDPBUSD (int8) and TDPBF16PS (bf16) on full 16 x 64-byte tiles (flops.h).
// All tile work is inline assembly in volatile statements, so the compiler neither reorders nor
// deletes it; the caller holds Linux's permission for the tile data and checked cpuid.
#include <cstdint>

#include "topics/flops/kernels/flops.h"

namespace sysbench::kernels {
namespace {

// The 64-byte operand of LDTILECFG: palette 1, then bytes per row and rows of each tile.
struct alignas(64) TileConfig {
  std::uint8_t palette = 1;
  std::uint8_t start_row = 0;
  std::uint8_t reserved[14] = {};
  std::uint16_t colsb[16] = {};
  std::uint8_t rows[16] = {};
};
static_assert(sizeof(TileConfig) == 64);

constexpr int kRowBytes = kAmxTileBytes / kAmxTileRows;

void LoadTiles(const FlopsState& s) {
  TileConfig config;
  for (int t = 0; t < kAmxTiles; ++t) {
    config.colsb[t] = kRowBytes;
    config.rows[t] = kAmxTileRows;
  }
  const std::uint64_t stride = kRowBytes;
  asm volatile(
      "ldtilecfg %[cfg]\n\t"
      "tileloadd (%[t0],%[stride],1), %%tmm0\n\t"
      "tileloadd (%[t1],%[stride],1), %%tmm1\n\t"
      "tileloadd (%[t2],%[stride],1), %%tmm2\n\t"
      "tileloadd (%[t3],%[stride],1), %%tmm3\n\t"
      "tileloadd (%[t4],%[stride],1), %%tmm4\n\t"
      "tileloadd (%[t5],%[stride],1), %%tmm5\n\t"
      "tileloadd (%[t6],%[stride],1), %%tmm6\n\t"
      "tileloadd (%[t7],%[stride],1), %%tmm7"
      :
      : [cfg] "m"(config), [stride] "r"(stride), [t0] "r"(s.tiles[0]), [t1] "r"(s.tiles[1]),
        [t2] "r"(s.tiles[2]), [t3] "r"(s.tiles[3]), [t4] "r"(s.tiles[4]), [t5] "r"(s.tiles[5]),
        [t6] "r"(s.tiles[6]), [t7] "r"(s.tiles[7])
      : "memory");
}

void StoreTilesAndRelease(FlopsState& s) {
  const std::uint64_t stride = kRowBytes;
  asm volatile(
      "tilestored %%tmm0, (%[t0],%[stride],1)\n\t"
      "tilestored %%tmm1, (%[t1],%[stride],1)\n\t"
      "tilestored %%tmm2, (%[t2],%[stride],1)\n\t"
      "tilestored %%tmm3, (%[t3],%[stride],1)\n\t"
      "tilerelease"
      :
      : [stride] "r"(stride), [t0] "r"(s.tiles[0]), [t1] "r"(s.tiles[1]), [t2] "r"(s.tiles[2]),
        [t3] "r"(s.tiles[3])
      : "memory");
}

// The four dot products of one pass (C0 += A0.B0, C1 += A0.B1, C2 += A1.B0, C3 += A1.B1), each
// followed by TAIL (nothing, or the clock chain's adds).
#define SYSBENCH_AMX_PASS(OP, TAIL)                                              \
  OP " %%tmm6, %%tmm4, %%tmm0\n\t" TAIL OP " %%tmm7, %%tmm4, %%tmm1\n\t" TAIL OP \
     " %%tmm6, %%tmm5, %%tmm2\n\t" TAIL OP " %%tmm7, %%tmm5, %%tmm3\n\t" TAIL
#define SYSBENCH_AMX_CHAIN ".rept 32\n\taddq %[step], %[clk]\n\t.endr\n\t"
static_assert(kClockChainAddsPerTileInstruction == 32);
static_assert(kAmxDotsPerIteration == 4);

#define SYSBENCH_AMX_KERNEL(NAME, OP)                                                    \
  void NAME(FlopsState& s, std::uint64_t n) {                                            \
    LoadTiles(s);                                                                        \
    if (s.interleave_clock_chain) {                                                      \
      std::uint64_t clk = s.clock_chain;                                                 \
      const std::uint64_t step = kClockChainStep;                                        \
      for (std::uint64_t i = 0; i < n; ++i) {                                            \
        asm volatile(SYSBENCH_AMX_PASS(OP, SYSBENCH_AMX_CHAIN)                           \
                     : [clk] "+r"(clk)                                                   \
                     : [step] "r"(step));                                                \
      }                                                                                  \
      s.clock_chain = clk;                                                               \
    } else {                                                                             \
      for (std::uint64_t i = 0; i < n; ++i) asm volatile(SYSBENCH_AMX_PASS(OP, "") : :); \
    }                                                                                    \
    StoreTilesAndRelease(s);                                                             \
  }

SYSBENCH_AMX_KERNEL(AmxInt8Dot, "tdpbusd")
SYSBENCH_AMX_KERNEL(AmxBf16Dot, "tdpbf16ps")

}  // namespace

FlopsFn FlopsKernelAmx(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (isa != FlopsIsa::kAmx || op != FlopsOp::kFma) return nullptr;
  if (type == FlopsType::kInt8) return AmxInt8Dot;
  if (type == FlopsType::kBf16) return AmxBf16Dot;
  return nullptr;
}

}  // namespace sysbench::kernels
