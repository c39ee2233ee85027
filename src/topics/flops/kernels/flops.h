// Peak-throughput arithmetic kernels for `sysbench flops`: one kernel per (instruction set, data
// type, operation), written in inline assembly so the compiler emits exactly the named
// instructions, each with FlopsChains(isa, type, op) independent dependency chains (accumulators).
//
// Every kernel runs `iterations` loop passes; one pass is two rounds over its accumulators
// (2 x FlopsChains instructions). Round 1 and round 2 use the state's constants as
// documented per operation below, so tests can compute the same values independently:
//   fma     round 1: acc = acc * a + b          round 2: acc = acc * a + b   (one rounding)
//   mul+add round 1: acc = acc * a              round 2: acc = acc + b       (two roundings)
//   mul     round 1: acc = acc * a              round 2: acc = acc * c
//   add     round 1: acc = acc + b              round 2: acc = acc + c
//   dot (bf16, int8, int16; op "fma"): round 1: acc += dot(a, b)   round 2: acc += dot(a, c)
//     where dot sums the 2 (bf16, int16) or 4 (int8) products that fall into one 32-bit lane.
// int32 uses VPMULLD/PMULLD and VPADDD/PADDD (wrapping arithmetic) with the same rounds for mul
// and add. int32 mul+add (SplitMulAdd) runs its multiplies and adds on separate chains instead:
// in each half of the FlopsChains accumulators the first one adds and the others multiply; per
// pass every multiplying accumulator is multiplied once by a, and each multiply is followed by an
// add of b to its half's adding accumulator. A multiply that waits for its own add, and the add
// for it, left the ports idle: 1.22 cycles per PMULLD/VPMULLD + PADDD pair on Sapphire Rapids
// where split chains take 1.08-1.13 (docs/flops.md).
// AMX (isa kAmx, dtype int8 or bf16, op "fma"): one pass is four tile dot products on full
// 16 x 64-byte tiles, tiles[0..3] += A x B for the pairs (A0,B0) (A0,B1) (A1,B0) (A1,B1), with
// A0, A1, B0, B1 in tiles[4..7]: TDPBUSD (u8 x s8 into int32, wrapping) or TDPBF16PS (bf16 pairs
// into f32). The caller must hold Linux's permission for the tile data (RequestAmxPermission).
//
// The clock chain: with state.interleave_clock_chain set, a kernel runs the same arithmetic with
// ClockChainAddsPerIteration dependent integer adds (clock_chain += kClockChainStep) interleaved
// in its instruction stream. An add waits for the one before it, so where the chain is longer
// than the arithmetic's own issue time, a pass lasts exactly that many core cycles at whatever
// clock the core runs while it executes these wide instructions.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

enum class FlopsIsa { kScalar, kSse, kAvx2, kAvx512, kAmx };
enum class FlopsType { kF64, kF32, kBf16, kF16, kInt8, kInt16, kInt32 };
enum class FlopsOp { kFma, kMulAdd, kMul, kAdd };

// Independent chains keep the pipes busy when chains >= latency x pipes, and the scheduler has
// room to spread the uops over the ports. Each kernel runs as many as the register file holds
// beside its constants: 14 in the 16 xmm/ymm registers (12 for the dot products, which name three
// constants), 24 in the 32 zmm registers. FMA needs 4 x 2 = 8 (Zen 4/5, Skylake...Sapphire
// Rapids); a mul+add chain waits for both (Zen 5: 12 chains stalled at 94%, 14 reach 98-100%);
// VPMULLD zmm (10 cycles, two dependent multiplies per chain per pass) reached 83% of one per
// cycle with 12 chains and 100% with 16 or more on Sapphire Rapids (docs/flops.md).
inline constexpr int kFlopsAccumulators = 24;  // the most any kernel uses
inline constexpr int kFlopsVectorBytes = 64;   // room for the widest register (zmm)
inline constexpr int kAmxTiles = 8;
inline constexpr int kAmxTileRows = 16;
inline constexpr int kAmxTileBytes = 1024;  // 16 rows of 64 bytes
inline constexpr int kAmxDotsPerIteration = 4;

// Clock chain: integer adds per vector instruction (4 for instructions that issue at most once
// every 2 cycles, so the chain stays the longer path) and per AMX tile instruction (one issues
// every 16 cycles).
inline constexpr int kClockChainAddsPerInstruction = 2;
inline constexpr int kClockChainAddsPerSlowInstruction = 4;
inline constexpr int kClockChainAddsPerTileInstruction = 32;
inline constexpr std::uint64_t kClockChainStep = 3;

// The kernel's independent chains (accumulators); 0 for AMX, whose kernels run on tiles.
constexpr int FlopsChains(FlopsIsa isa, FlopsType type, FlopsOp /*op*/) {
  if (isa == FlopsIsa::kAmx) return 0;
  if (isa == FlopsIsa::kAvx512) return 24;
  const bool dot =
      type == FlopsType::kBf16 || type == FlopsType::kInt8 || type == FlopsType::kInt16;
  return dot ? 12 : 14;
}

// int32 mul+add: multiplies and adds on separate chains (the layout above; IsAddChain).
constexpr bool SplitMulAdd(FlopsIsa isa, FlopsType type, FlopsOp op) {
  return isa != FlopsIsa::kAmx && type == FlopsType::kInt32 && op == FlopsOp::kMulAdd;
}

// In a split mul+add, whether accumulator `index` is one of the two that add.
constexpr bool IsAddChain(FlopsIsa isa, FlopsType type, FlopsOp op, int index) {
  const int half = FlopsChains(isa, type, op) / 2;
  return index % half == 0;
}

// Vector instructions in one pass: two per chain, or one multiply and one add per multiply chain
// of a split mul+add.
constexpr int InstructionsPerIteration(FlopsIsa isa, FlopsType type, FlopsOp op) {
  const int chains = FlopsChains(isa, type, op);
  return SplitMulAdd(isa, type, op) ? 2 * (chains - 2) : 2 * chains;
}

// Registers as raw bytes: kernels load the first RegisterBytes(isa) bytes of each and leave
// accumulators past FlopsChains unchanged.
struct alignas(64) FlopsState {
  alignas(64) unsigned char acc[kFlopsAccumulators][kFlopsVectorBytes];
  alignas(64) unsigned char a[kFlopsVectorBytes];
  alignas(64) unsigned char b[kFlopsVectorBytes];
  alignas(64) unsigned char c[kFlopsVectorBytes];
  alignas(64) unsigned char tiles[kAmxTiles][kAmxTileBytes];  // AMX only
  std::uint64_t clock_chain = 0;                              // the chain's value, in and out
  bool interleave_clock_chain = false;                        // run the chained twin of the kernel
};

using FlopsFn = void (*)(FlopsState& state, std::uint64_t iterations);

// Register width in bytes of one operand (scalar: the element size; AMX: one tile row).
int RegisterBytes(FlopsIsa isa, FlopsType type);
// Bytes of one element of the data type (bf16 and f16: 2; int8: 1).
int ElementBytes(FlopsType type);
// Arithmetic operations one iteration performs: a multiply and an add each count as one, so an
// FMA lane counts 2, an int8 VPDPBUSD lane 8 (4 multiplies, 4 adds), a VDPBF16PS lane 4.
double OpsPerIteration(FlopsIsa isa, FlopsType type, FlopsOp op);
// The mnemonic(s) the kernel runs, e.g. "vfmadd213ps zmm" or "mulsd+addsd".
const char* Instruction(FlopsIsa isa, FlopsType type, FlopsOp op);

// Integer adds of the clock chain per iteration of the chained kernel (0 where none exists).
int ClockChainAddsPerIteration(FlopsIsa isa, FlopsType type, FlopsOp op);

// The kernel, or nullptr where this combination has no instruction (e.g. int8 mul). Calling it
// is only safe where the CPU has the extension RequiredExtension names.
FlopsFn FindFlopsKernel(FlopsIsa isa, FlopsType type, FlopsOp op);
// cpuid extensions the kernel needs, e.g. "avx512f" or "avx2+fma" (empty where none exists).
const char* RequiredExtensions(FlopsIsa isa, FlopsType type, FlopsOp op);

// Fills the state with this operation's start values and constants: accumulators near 1 (lane j
// of register i: 1 + i/16 + j/1024 for floats; 1 + i + j for int32; i + j for dot products),
// constants chosen so values stay normal and finite for any run length that fits a batch.
void InitFlopsState(FlopsState& state, FlopsIsa isa, FlopsType type, FlopsOp op);

// Per-ISA tables (one translation unit each, compiled with that ISA's flags).
FlopsFn FlopsKernelSse2(FlopsIsa isa, FlopsType type, FlopsOp op);    // scalar/sse legacy
FlopsFn FlopsKernelSse41(FlopsIsa isa, FlopsType type, FlopsOp op);   // pmulld
FlopsFn FlopsKernelFma128(FlopsIsa isa, FlopsType type, FlopsOp op);  // VEX scalar/xmm FMA
FlopsFn FlopsKernelAvx2(FlopsIsa isa, FlopsType type, FlopsOp op);
FlopsFn FlopsKernelAvx512(FlopsIsa isa, FlopsType type, FlopsOp op);
FlopsFn FlopsKernelAmx(FlopsIsa isa, FlopsType type, FlopsOp op);

}  // namespace sysbench::kernels
