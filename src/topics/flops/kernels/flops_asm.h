// Internal to the flops kernels: macros that define one kernel from its assembly text.
//
// The loop keeps the accumulators and the constants it names in registers (distinct locals tied
// to "+CONS" operands), so the only instructions inside the loop are the asm text, the counter
// increment and the branch. A kernel runs CHAINS accumulators (12, 14 or 24: FlopsChains in
// flops.h) and names two constants (three for the dot products), so that accumulators and
// constants fit the register file: 14 + 2 or 12 + 3 of the 16 xmm/ymm registers, 24 + 3 of the 32
// zmm registers.
//
// GCC allows 30 asm operands (an in-out one counts twice), so one pass is four statements: round
// 1 on the low half of the accumulators, round 1 on the high half, round 2 on the low half, round
// 2 on the high half. The instruction stream is the same as one statement's (every accumulator's
// round 1, then every accumulator's round 2), and a round-2 instruction comes CHAINS
// instructions after the round-1 instruction it waits for.
#pragma once

#include <cstdint>
#include <cstring>

#include "topics/flops/kernels/flops.h"

// Text helpers: L(P, "3") appends one instruction on accumulator %3. Kernels name the form by
// its suffix (2OP, 3OP; 2OP4 is 2OP with a longer clock chain). Each form's _CHAINED twin appends
// the instruction and then kClockChainAddsPerInstruction (2OP4: kClockChainAddsPerSlowInstruction)
// dependent integer adds of the clock chain (FlopsState::clock_chain): the clock probe that runs
// inside the kernel's own instruction stream.
#define SYSBENCH_FL_ADD "addq %[step], %[clk]\n\t"
#define SYSBENCH_FL_2OP(P, N) P "%" N "\n\t"          // "mulps %[a], %3"
#define SYSBENCH_FL_3OP(P, N) P "%" N ", %" N "\n\t"  // "vmulps %[a], %3, %3"
#define SYSBENCH_FL_2OP4(P, N) SYSBENCH_FL_2OP(P, N)
#define SYSBENCH_FL_2OP_CHAINED(P, N) SYSBENCH_FL_2OP(P, N) SYSBENCH_FL_ADD SYSBENCH_FL_ADD
#define SYSBENCH_FL_3OP_CHAINED(P, N) SYSBENCH_FL_3OP(P, N) SYSBENCH_FL_ADD SYSBENCH_FL_ADD
#define SYSBENCH_FL_2OP4_CHAINED(P, N) \
  SYSBENCH_FL_2OP(P, N) SYSBENCH_FL_ADD SYSBENCH_FL_ADD SYSBENCH_FL_ADD SYSBENCH_FL_ADD
static_assert(::sysbench::kernels::kClockChainAddsPerInstruction == 2);
static_assert(::sysbench::kernels::kClockChainAddsPerSlowInstruction == 4);

// One half of CHAINS accumulators: its instructions on operands %0..%(CHAINS/2 - 1), and its
// in-out operands (the register locals r0...r23).
// clang-format off
#define SYSBENCH_FL_EACH6(L, P) L(P, "0") L(P, "1") L(P, "2") L(P, "3") L(P, "4") L(P, "5")
#define SYSBENCH_FL_EACH7(L, P) SYSBENCH_FL_EACH6(L, P) L(P, "6")
#define SYSBENCH_FL_EACH12(L, P) \
  SYSBENCH_FL_EACH6(L, P) L(P, "6") L(P, "7") L(P, "8") L(P, "9") L(P, "10") L(P, "11")
#define SYSBENCH_FL_HALF_EACH12 SYSBENCH_FL_EACH6
#define SYSBENCH_FL_HALF_EACH14 SYSBENCH_FL_EACH7
#define SYSBENCH_FL_HALF_EACH24 SYSBENCH_FL_EACH12
#define SYSBENCH_FL_LO12(C) "+" C(r0), "+" C(r1), "+" C(r2), "+" C(r3), "+" C(r4), "+" C(r5)
#define SYSBENCH_FL_HI12(C) "+" C(r6), "+" C(r7), "+" C(r8), "+" C(r9), "+" C(r10), "+" C(r11)
#define SYSBENCH_FL_LO14(C) SYSBENCH_FL_LO12(C), "+" C(r6)
#define SYSBENCH_FL_HI14(C) \
  "+" C(r7), "+" C(r8), "+" C(r9), "+" C(r10), "+" C(r11), "+" C(r12), "+" C(r13)
#define SYSBENCH_FL_LO24(C) SYSBENCH_FL_LO12(C), SYSBENCH_FL_HI12(C)
#define SYSBENCH_FL_HI24(C) \
  "+" C(r12), "+" C(r13), "+" C(r14), "+" C(r15), "+" C(r16), "+" C(r17), \
  "+" C(r18), "+" C(r19), "+" C(r20), "+" C(r21), "+" C(r22), "+" C(r23)
// clang-format on

// The constants a kernel names (each takes a register whether or not a round uses it).
#define SYSBENCH_FL_AB(C) [a] C(a), [b] C(b)
#define SYSBENCH_FL_AC(C) [a] C(a), [c] C(c)
#define SYSBENCH_FL_BC(C) [b] C(b), [c] C(c)
#define SYSBENCH_FL_ABC(C) [a] C(a), [b] C(b), [c] C(c)

// Copies accumulator I between the state and its register local (r0...r23).
#define SYSBENCH_FL_LOAD(V, I) std::memcpy(&r##I, s.acc[I], sizeof(V));
#define SYSBENCH_FL_STORE(V, I) std::memcpy(s.acc[I], &r##I, sizeof(V));
// clang-format off
#define SYSBENCH_FL_ALL12(X, V) \
  X(V, 0) X(V, 1) X(V, 2) X(V, 3) X(V, 4) X(V, 5) X(V, 6) X(V, 7) X(V, 8) X(V, 9) X(V, 10) X(V, 11)
#define SYSBENCH_FL_ALL14(X, V) SYSBENCH_FL_ALL12(X, V) X(V, 12) X(V, 13)
#define SYSBENCH_FL_ALL24(X, V) \
  SYSBENCH_FL_ALL14(X, V) X(V, 14) X(V, 15) X(V, 16) X(V, 17) X(V, 18) X(V, 19) X(V, 20) \
  X(V, 21) X(V, 22) X(V, 23)
#define SYSBENCH_FL_DECLARE12(V) V r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11
#define SYSBENCH_FL_DECLARE14(V) SYSBENCH_FL_DECLARE12(V), r12, r13
#define SYSBENCH_FL_DECLARE24(V) \
  SYSBENCH_FL_DECLARE14(V), r14, r15, r16, r17, r18, r19, r20, r21, r22, r23
// clang-format on

// One round (P) on one half (LO or HI) of CHAINS accumulators, plain or with the clock chain.
#define SYSBENCH_FL_ROUND(CHAINS, HALF, CONS, FORM, CONSTS, P)      \
  asm volatile(SYSBENCH_FL_HALF_EACH##CHAINS(SYSBENCH_FL_##FORM, P) \
               : SYSBENCH_FL_##HALF##CHAINS(CONS)                   \
               : CONSTS(CONS))
#define SYSBENCH_FL_ROUND_CHAINED(CHAINS, HALF, CONS, FORM, CONSTS, P)        \
  asm volatile(SYSBENCH_FL_HALF_EACH##CHAINS(SYSBENCH_FL_##FORM##_CHAINED, P) \
               : SYSBENCH_FL_##HALF##CHAINS(CONS), [clk] "+r"(clk)            \
               : CONSTS(CONS), [step] "r"(step))

// Defines `void NAME(FlopsState&, std::uint64_t)`: CHAINS accumulators (12, 14 or 24; FlopsChains
// must say the same for the case), round 1 is P1 on each accumulator, round 2 is P2 (FORM: 2OP,
// 3OP or 2OP4, the operand form; CONSTS: SYSBENCH_FL_AB, _AC, _BC or _ABC, the constants P1 and
// P2 may name). Where the state asks for the clock chain, the same arithmetic runs with the chain
// interleaved. Accumulators past CHAINS are left unchanged in the state.
#define SYSBENCH_FLOPS_KERNEL(NAME, V, CONS, FORM, CHAINS, CONSTS, P1, P2)        \
  void NAME(::sysbench::kernels::FlopsState& s, std::uint64_t n) {                \
    static_assert(CHAINS <= ::sysbench::kernels::kFlopsAccumulators);             \
    SYSBENCH_FL_DECLARE##CHAINS(V);                                               \
    V a, b, c;                                                                    \
    SYSBENCH_FL_ALL##CHAINS(SYSBENCH_FL_LOAD, V) std::memcpy(&a, s.a, sizeof(V)); \
    std::memcpy(&b, s.b, sizeof(V));                                              \
    std::memcpy(&c, s.c, sizeof(V));                                              \
    if (s.interleave_clock_chain) {                                               \
      std::uint64_t clk = s.clock_chain;                                          \
      const std::uint64_t step = ::sysbench::kernels::kClockChainStep;            \
      for (std::uint64_t i = 0; i < n; ++i) {                                     \
        SYSBENCH_FL_ROUND_CHAINED(CHAINS, LO, CONS, FORM, CONSTS, P1);            \
        SYSBENCH_FL_ROUND_CHAINED(CHAINS, HI, CONS, FORM, CONSTS, P1);            \
        SYSBENCH_FL_ROUND_CHAINED(CHAINS, LO, CONS, FORM, CONSTS, P2);            \
        SYSBENCH_FL_ROUND_CHAINED(CHAINS, HI, CONS, FORM, CONSTS, P2);            \
      }                                                                           \
      s.clock_chain = clk;                                                        \
    } else {                                                                      \
      for (std::uint64_t i = 0; i < n; ++i) {                                     \
        SYSBENCH_FL_ROUND(CHAINS, LO, CONS, FORM, CONSTS, P1);                    \
        SYSBENCH_FL_ROUND(CHAINS, HI, CONS, FORM, CONSTS, P1);                    \
        SYSBENCH_FL_ROUND(CHAINS, LO, CONS, FORM, CONSTS, P2);                    \
        SYSBENCH_FL_ROUND(CHAINS, HI, CONS, FORM, CONSTS, P2);                    \
      }                                                                           \
    }                                                                             \
    SYSBENCH_FL_ALL##CHAINS(SYSBENCH_FL_STORE, V)                                 \
  }

// The int32 mul+add kernels (SplitMulAdd in flops.h): in each half of the accumulators the first
// one only adds and the others only multiply. One pass is two statements, one per half: every
// multiply followed by one add, operand %0 the add chain and the others the multiply chains.
// BCONS is the constraint of the added constant: "m" for the 16-register xmm kernel, whose 14
// accumulators and two constants in registers left GCC 12 one register short: it kept one
// accumulator on the stack, and the store and reload lengthened that chain past a pass (1.33
// cycles per pair). The add then reads its constant from memory (a load port, not an ALU port).
// (Pinning the registers with local register variables did not survive the sanitizer builds,
// whose instrumentation calls clobber them.)
// clang-format off
#define SYSBENCH_FL_PAIRS6(L, PM, PA, H) \
  L(PM, "1") L(PA, H) L(PM, "2") L(PA, H) L(PM, "3") L(PA, H) \
  L(PM, "4") L(PA, H) L(PM, "5") L(PA, H) L(PM, "6") L(PA, H)
#define SYSBENCH_FL_PAIRS11(L, PM, PA, H) SYSBENCH_FL_PAIRS6(L, PM, PA, H) \
  L(PM, "7") L(PA, H) L(PM, "8") L(PA, H) L(PM, "9") L(PA, H) L(PM, "10") L(PA, H) \
  L(PM, "11") L(PA, H)
#define SYSBENCH_FL_SPLIT_PAIRS14(L, PM, PA) SYSBENCH_FL_PAIRS6(L, PM, PA, "0")
#define SYSBENCH_FL_SPLIT_PAIRS24(L, PM, PA) SYSBENCH_FL_PAIRS11(L, PM, PA, "0")
// clang-format on

#define SYSBENCH_FL_SPLIT_HALF(CHAINS, HALF, CONS, BCONS, FORM, PM, PA)    \
  asm volatile(SYSBENCH_FL_SPLIT_PAIRS##CHAINS(SYSBENCH_FL_##FORM, PM, PA) \
               : SYSBENCH_FL_##HALF##CHAINS(CONS)                          \
               : [a] CONS(a), [b] BCONS(b))
#define SYSBENCH_FL_SPLIT_HALF_CHAINED(CHAINS, HALF, CONS, BCONS, FORM, PM, PA)      \
  asm volatile(SYSBENCH_FL_SPLIT_PAIRS##CHAINS(SYSBENCH_FL_##FORM##_CHAINED, PM, PA) \
               : SYSBENCH_FL_##HALF##CHAINS(CONS), [clk] "+r"(clk)                   \
               : [a] CONS(a), [b] BCONS(b), [step] "r"(step))

// Defines `void NAME(FlopsState&, std::uint64_t)` for int32 mul+add: CHAINS accumulators (14 or
// 24), PM the multiply (by %[a]) and PA the add (of %[b], constraint BCONS) in operand form FORM,
// with the clock chain where the state asks for it, as SYSBENCH_FLOPS_KERNEL.
#define SYSBENCH_FLOPS_SPLIT_KERNEL(NAME, V, CONS, BCONS, FORM, CHAINS, PM, PA)   \
  void NAME(::sysbench::kernels::FlopsState& s, std::uint64_t n) {                \
    SYSBENCH_FL_DECLARE##CHAINS(V);                                               \
    V a, b;                                                                       \
    SYSBENCH_FL_ALL##CHAINS(SYSBENCH_FL_LOAD, V) std::memcpy(&a, s.a, sizeof(V)); \
    std::memcpy(&b, s.b, sizeof(V));                                              \
    if (s.interleave_clock_chain) {                                               \
      std::uint64_t clk = s.clock_chain;                                          \
      const std::uint64_t step = ::sysbench::kernels::kClockChainStep;            \
      for (std::uint64_t i = 0; i < n; ++i) {                                     \
        SYSBENCH_FL_SPLIT_HALF_CHAINED(CHAINS, LO, CONS, BCONS, FORM, PM, PA);    \
        SYSBENCH_FL_SPLIT_HALF_CHAINED(CHAINS, HI, CONS, BCONS, FORM, PM, PA);    \
      }                                                                           \
      s.clock_chain = clk;                                                        \
    } else {                                                                      \
      for (std::uint64_t i = 0; i < n; ++i) {                                     \
        SYSBENCH_FL_SPLIT_HALF(CHAINS, LO, CONS, BCONS, FORM, PM, PA);            \
        SYSBENCH_FL_SPLIT_HALF(CHAINS, HI, CONS, BCONS, FORM, PM, PA);            \
      }                                                                           \
    }                                                                             \
    SYSBENCH_FL_ALL##CHAINS(SYSBENCH_FL_STORE, V)                                 \
  }
