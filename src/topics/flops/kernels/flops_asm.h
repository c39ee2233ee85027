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

// Text helpers: L(P, "3") appends one instruction on accumulator %3.
#define SYSBENCH_FL_2OP(P, N) P "%" N "\n\t"          // "mulps %[a], %3"
#define SYSBENCH_FL_3OP(P, N) P "%" N ", %" N "\n\t"  // "vmulps %[a], %3, %3"
// clang-format off
#define SYSBENCH_FL_EACH(L, P) \
  L(P, "0") L(P, "1") L(P, "2") L(P, "3") L(P, "4") L(P, "5") \
  L(P, "6") L(P, "7") L(P, "8") L(P, "9") L(P, "10") L(P, "11")
#define SYSBENCH_FL_EACH14(L, P) SYSBENCH_FL_EACH(L, P) L(P, "12") L(P, "13")
#define SYSBENCH_FL_OUTS12(CONS) \
  "+" CONS(r0), "+" CONS(r1), "+" CONS(r2), "+" CONS(r3), "+" CONS(r4), "+" CONS(r5), \
  "+" CONS(r6), "+" CONS(r7), "+" CONS(r8), "+" CONS(r9), "+" CONS(r10), "+" CONS(r11)
#define SYSBENCH_FL_OUTS14(CONS) SYSBENCH_FL_OUTS12(CONS), "+" CONS(r12), "+" CONS(r13)
// clang-format on

// Copies accumulator I between the state and its register local (r0...r13).
#define SYSBENCH_FL_LOAD(V, I) std::memcpy(&r##I, s.acc[I], sizeof(V));
#define SYSBENCH_FL_STORE(V, I) std::memcpy(s.acc[I], &r##I, sizeof(V));
// clang-format off
#define SYSBENCH_FL_ALL14(X, V) \
  X(V, 0) X(V, 1) X(V, 2) X(V, 3) X(V, 4) X(V, 5) X(V, 6) \
  X(V, 7) X(V, 8) X(V, 9) X(V, 10) X(V, 11) X(V, 12) X(V, 13)
// clang-format on

// Defines `void NAME(FlopsState&, std::uint64_t)` running the asm statement once per iteration.
// All kFlopsAccumulators registers are loaded and stored; those the statement does not name are
// written back unchanged, and constants it does not name take no register.
#define SYSBENCH_FLOPS_KERNEL_WITH(NAME, V, ...)                           \
  void NAME(::sysbench::kernels::FlopsState& s, std::uint64_t n) {         \
    static_assert(::sysbench::kernels::kFlopsAccumulators == 14);          \
    V r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, r12, r13, a, b, c; \
    SYSBENCH_FL_ALL14(SYSBENCH_FL_LOAD, V)                                 \
    std::memcpy(&a, s.a, sizeof(V));                                       \
    std::memcpy(&b, s.b, sizeof(V));                                       \
    std::memcpy(&c, s.c, sizeof(V));                                       \
    for (std::uint64_t i = 0; i < n; ++i) {                                \
      __VA_ARGS__;                                                         \
    }                                                                      \
    SYSBENCH_FL_ALL14(SYSBENCH_FL_STORE, V)                                \
  }

// A kFlopsChains kernel: TEXT may name a, b and c.
#define SYSBENCH_FLOPS_KERNEL(NAME, V, CONS, TEXT)                   \
  SYSBENCH_FLOPS_KERNEL_WITH(NAME, V,                                \
                             asm volatile(TEXT                       \
                                          : SYSBENCH_FL_OUTS12(CONS) \
                                          : [a] CONS(a), [b] CONS(b), [c] CONS(c)))

// A mul+add kernel on kFlopsMulAddChains accumulators: round 1 is P1 (a multiply by a) on each,
// round 2 is P2 (an add of b) on each.
#define SYSBENCH_FLOPS_MULADD_KERNEL(NAME, V, CONS, L, P1, P2)                                \
  SYSBENCH_FLOPS_KERNEL_WITH(NAME, V,                                                         \
                             asm volatile(SYSBENCH_FL_EACH14(L, P1) SYSBENCH_FL_EACH14(L, P2) \
                                          : SYSBENCH_FL_OUTS14(CONS)                          \
                                          : [a] CONS(a), [b] CONS(b)))

// Two rounds, the same instruction prefix for both (fma: both rounds use a and b).
#define SYSBENCH_FL_SAME2(L, P) SYSBENCH_FL_EACH(L, P) SYSBENCH_FL_EACH(L, P)
// Two rounds with different prefixes.
#define SYSBENCH_FL_ROUNDS(L, P1, P2) SYSBENCH_FL_EACH(L, P1) SYSBENCH_FL_EACH(L, P2)
