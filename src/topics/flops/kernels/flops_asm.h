// Internal to the flops kernels: macros that define one kernel from its assembly text.
//
// The loop keeps the accumulators and the constants it names in registers (distinct locals tied
// to "+CONS" operands), so the only instructions inside the loop are the asm text, the counter
// increment and the branch. Most kernels run kFlopsChains (12) accumulators and may name a, b and
// c; mul+add runs kFlopsMulAddChains (14) and names only a and b, so that 14 + 2 registers fit the
// 16 xmm/ymm registers.
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
// clang-format off
#define SYSBENCH_FL_EACH(L, P) \
  L(P, "0") L(P, "1") L(P, "2") L(P, "3") L(P, "4") L(P, "5") \
  L(P, "6") L(P, "7") L(P, "8") L(P, "9") L(P, "10") L(P, "11")
#define SYSBENCH_FL_EACH14(L, P) SYSBENCH_FL_EACH(L, P) L(P, "12") L(P, "13")
#define SYSBENCH_FL_OUTS12(CONS) \
  "+" CONS(r0), "+" CONS(r1), "+" CONS(r2), "+" CONS(r3), "+" CONS(r4), "+" CONS(r5), \
  "+" CONS(r6), "+" CONS(r7), "+" CONS(r8), "+" CONS(r9), "+" CONS(r10), "+" CONS(r11)
#define SYSBENCH_FL_OUTS14(CONS) SYSBENCH_FL_OUTS12(CONS), "+" CONS(r12), "+" CONS(r13)
#define SYSBENCH_FL_EACH7(L, P) \
  L(P, "0") L(P, "1") L(P, "2") L(P, "3") L(P, "4") L(P, "5") L(P, "6")
#define SYSBENCH_FL_OUTS_LO7(CONS) \
  "+" CONS(r0), "+" CONS(r1), "+" CONS(r2), "+" CONS(r3), "+" CONS(r4), "+" CONS(r5), "+" CONS(r6)
#define SYSBENCH_FL_OUTS_HI7(CONS) \
  "+" CONS(r7), "+" CONS(r8), "+" CONS(r9), "+" CONS(r10), "+" CONS(r11), "+" CONS(r12), \
  "+" CONS(r13)
// clang-format on

// Copies accumulator I between the state and its register local (r0...r13).
#define SYSBENCH_FL_LOAD(V, I) std::memcpy(&r##I, s.acc[I], sizeof(V));
#define SYSBENCH_FL_STORE(V, I) std::memcpy(s.acc[I], &r##I, sizeof(V));
// clang-format off
#define SYSBENCH_FL_ALL14(X, V) \
  X(V, 0) X(V, 1) X(V, 2) X(V, 3) X(V, 4) X(V, 5) X(V, 6) \
  X(V, 7) X(V, 8) X(V, 9) X(V, 10) X(V, 11) X(V, 12) X(V, 13)
// clang-format on

// Defines `void NAME(FlopsState&, std::uint64_t)` running PLAIN once per iteration, or CHAINED
// (the same arithmetic with the clock chain interleaved) where the state asks for the chain. All
// kFlopsAccumulators registers are loaded and stored; those the statement does not name are
// written back unchanged, and constants it does not name take no register.
#define SYSBENCH_FLOPS_KERNEL_WITH(NAME, V, PLAIN, CHAINED)                \
  void NAME(::sysbench::kernels::FlopsState& s, std::uint64_t n) {         \
    static_assert(::sysbench::kernels::kFlopsAccumulators == 14);          \
    V r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, a, b, c; \
    SYSBENCH_FL_ALL14(SYSBENCH_FL_LOAD, V)                                 \
    std::memcpy(&a, s.a, sizeof(V));                                       \
    std::memcpy(&b, s.b, sizeof(V));                                       \
    std::memcpy(&c, s.c, sizeof(V));                                       \
    if (s.interleave_clock_chain) {                                        \
      std::uint64_t clk = s.clock_chain;                                   \
      const std::uint64_t step = ::sysbench::kernels::kClockChainStep;     \
      for (std::uint64_t i = 0; i < n; ++i) {                              \
        CHAINED;                                                           \
      }                                                                    \
      s.clock_chain = clk;                                                 \
    } else {                                                               \
      for (std::uint64_t i = 0; i < n; ++i) {                              \
        PLAIN;                                                             \
      }                                                                    \
    }                                                                      \
    SYSBENCH_FL_ALL14(SYSBENCH_FL_STORE, V)                                \
  }

// A kFlopsChains kernel: round 1 is P1 on each accumulator, round 2 is P2 (FORM: 2OP, 3OP or
// 2OP4, the operand form). P1 and P2 may name a, b and c.
#define SYSBENCH_FLOPS_KERNEL(NAME, V, CONS, FORM, P1, P2)                \
  SYSBENCH_FLOPS_KERNEL_WITH(                                             \
      NAME, V,                                                            \
      asm volatile(SYSBENCH_FL_EACH(SYSBENCH_FL_##FORM, P1)               \
                       SYSBENCH_FL_EACH(SYSBENCH_FL_##FORM, P2)           \
                   : SYSBENCH_FL_OUTS12(CONS)                             \
                   : [a] CONS(a), [b] CONS(b), [c] CONS(c)),              \
      asm volatile(SYSBENCH_FL_EACH(SYSBENCH_FL_##FORM##_CHAINED, P1)     \
                       SYSBENCH_FL_EACH(SYSBENCH_FL_##FORM##_CHAINED, P2) \
                   : SYSBENCH_FL_OUTS12(CONS), [clk] "+r"(clk)            \
                   : [a] CONS(a), [b] CONS(b), [c] CONS(c), [step] "r"(step)))

// A mul+add kernel on kFlopsMulAddChains accumulators: round 1 is P1 (a multiply by a) on each,
// round 2 is P2 (an add of b) on each; only a and b may be named (14 + 2 registers fill 16). GCC
// allows 30 asm operands (an in-out one counts twice), so the chained twin runs the two rounds on
// accumulators 0-6 in one statement and on 7-13 in the next: the same instructions, and
// out-of-order issue overlaps the two halves as it overlaps the rounds.
#define SYSBENCH_FL_MULADD_HALF_CHAINED(CONS, FORM, P1, P2, OUTS)      \
  asm volatile(SYSBENCH_FL_EACH7(SYSBENCH_FL_##FORM##_CHAINED, P1)     \
                   SYSBENCH_FL_EACH7(SYSBENCH_FL_##FORM##_CHAINED, P2) \
               : OUTS(CONS), [clk] "+r"(clk)                           \
               : [a] CONS(a), [b] CONS(b), [step] "r"(step))
#define SYSBENCH_FLOPS_MULADD_KERNEL(NAME, V, CONS, FORM, P1, P2)                \
  SYSBENCH_FLOPS_KERNEL_WITH(                                                    \
      NAME, V,                                                                   \
      asm volatile(SYSBENCH_FL_EACH14(SYSBENCH_FL_##FORM, P1)                    \
                       SYSBENCH_FL_EACH14(SYSBENCH_FL_##FORM, P2)                \
                   : SYSBENCH_FL_OUTS14(CONS)                                    \
                   : [a] CONS(a), [b] CONS(b)),                                  \
      SYSBENCH_FL_MULADD_HALF_CHAINED(CONS, FORM, P1, P2, SYSBENCH_FL_OUTS_LO7); \
      SYSBENCH_FL_MULADD_HALF_CHAINED(CONS, FORM, P1, P2, SYSBENCH_FL_OUTS_HI7))
