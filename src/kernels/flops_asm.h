// Internal to the flops kernels: a macro that defines one kernel from its assembly text.
//
// The loop keeps the kFlopsAccumulators (12) accumulators and the constants a, b, c in registers
// (distinct locals tied to "+CONS" operands), so the only instructions inside the loop are the
// asm text, the counter increment and the branch.
#pragma once

#include <cstdint>
#include <cstring>

#include "kernels/flops.h"

// Text helpers: L(P, "3") appends one instruction on accumulator %3.
#define SYSBENCH_FL_2OP(P, N) P "%" N "\n\t"          // "mulps %[a], %3"
#define SYSBENCH_FL_3OP(P, N) P "%" N ", %" N "\n\t"  // "vmulps %[a], %3, %3"
// clang-format off
#define SYSBENCH_FL_EACH(L, P) \
  L(P, "0") L(P, "1") L(P, "2") L(P, "3") L(P, "4") L(P, "5") \
  L(P, "6") L(P, "7") L(P, "8") L(P, "9") L(P, "10") L(P, "11")
// clang-format on

// Defines `void NAME(FlopsState&, std::uint64_t)` running TEXT once per iteration.
#define SYSBENCH_FLOPS_KERNEL(NAME, V, CONS, TEXT)                                         \
  void NAME(::sysbench::kernels::FlopsState& s, std::uint64_t n) {                         \
    static_assert(::sysbench::kernels::kFlopsAccumulators == 12);                          \
    V r0, r1, r2, r3, r4, r5, r6, r7, r8, r9, r10, r11, a, b, c;                           \
    std::memcpy(&r0, s.acc[0], sizeof(V));                                                 \
    std::memcpy(&r1, s.acc[1], sizeof(V));                                                 \
    std::memcpy(&r2, s.acc[2], sizeof(V));                                                 \
    std::memcpy(&r3, s.acc[3], sizeof(V));                                                 \
    std::memcpy(&r4, s.acc[4], sizeof(V));                                                 \
    std::memcpy(&r5, s.acc[5], sizeof(V));                                                 \
    std::memcpy(&r6, s.acc[6], sizeof(V));                                                 \
    std::memcpy(&r7, s.acc[7], sizeof(V));                                                 \
    std::memcpy(&r8, s.acc[8], sizeof(V));                                                 \
    std::memcpy(&r9, s.acc[9], sizeof(V));                                                 \
    std::memcpy(&r10, s.acc[10], sizeof(V));                                               \
    std::memcpy(&r11, s.acc[11], sizeof(V));                                               \
    std::memcpy(&a, s.a, sizeof(V));                                                       \
    std::memcpy(&b, s.b, sizeof(V));                                                       \
    std::memcpy(&c, s.c, sizeof(V));                                                       \
    for (std::uint64_t i = 0; i < n; ++i) {                                                \
      asm volatile(TEXT                                                                    \
                   : "+" CONS(r0), "+" CONS(r1), "+" CONS(r2), "+" CONS(r3), "+" CONS(r4), \
                     "+" CONS(r5), "+" CONS(r6), "+" CONS(r7), "+" CONS(r8), "+" CONS(r9), \
                     "+" CONS(r10), "+" CONS(r11)                                          \
                   : [a] CONS(a), [b] CONS(b), [c] CONS(c));                               \
    }                                                                                      \
    std::memcpy(s.acc[0], &r0, sizeof(V));                                                 \
    std::memcpy(s.acc[1], &r1, sizeof(V));                                                 \
    std::memcpy(s.acc[2], &r2, sizeof(V));                                                 \
    std::memcpy(s.acc[3], &r3, sizeof(V));                                                 \
    std::memcpy(s.acc[4], &r4, sizeof(V));                                                 \
    std::memcpy(s.acc[5], &r5, sizeof(V));                                                 \
    std::memcpy(s.acc[6], &r6, sizeof(V));                                                 \
    std::memcpy(s.acc[7], &r7, sizeof(V));                                                 \
    std::memcpy(s.acc[8], &r8, sizeof(V));                                                 \
    std::memcpy(s.acc[9], &r9, sizeof(V));                                                 \
    std::memcpy(s.acc[10], &r10, sizeof(V));                                               \
    std::memcpy(s.acc[11], &r11, sizeof(V));                                               \
  }

// Two rounds, the same instruction prefix for both (fma: both rounds use a and b).
#define SYSBENCH_FL_SAME2(L, P) SYSBENCH_FL_EACH(L, P) SYSBENCH_FL_EACH(L, P)
// Two rounds with different prefixes.
#define SYSBENCH_FL_ROUNDS(L, P1, P2) SYSBENCH_FL_EACH(L, P1) SYSBENCH_FL_EACH(L, P2)
