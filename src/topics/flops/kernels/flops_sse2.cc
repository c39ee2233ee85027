// Scalar SSE2 (MULSD/ADDSD, MULSS/ADDSS) and 128-bit packed SSE/SSE2 kernels, legacy encoding.
// Baseline x86-64 flags: every x86-64 CPU has SSE2.
#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

#define L2 SYSBENCH_FL_2OP
SYSBENCH_FLOPS_MULADD_KERNEL(ScalarF64MulAdd, double, "x", L2, "mulsd %[a], ", "addsd %[b], ")
SYSBENCH_FLOPS_KERNEL(ScalarF64Mul, double, "x",
                      SYSBENCH_FL_ROUNDS(L2, "mulsd %[a], ", "mulsd %[c], "))
SYSBENCH_FLOPS_KERNEL(ScalarF64Add, double, "x",
                      SYSBENCH_FL_ROUNDS(L2, "addsd %[b], ", "addsd %[c], "))
SYSBENCH_FLOPS_MULADD_KERNEL(ScalarF32MulAdd, float, "x", L2, "mulss %[a], ", "addss %[b], ")
SYSBENCH_FLOPS_KERNEL(ScalarF32Mul, float, "x",
                      SYSBENCH_FL_ROUNDS(L2, "mulss %[a], ", "mulss %[c], "))
SYSBENCH_FLOPS_KERNEL(ScalarF32Add, float, "x",
                      SYSBENCH_FL_ROUNDS(L2, "addss %[b], ", "addss %[c], "))

// 128-bit values as plain vectors so this file needs no intrinsics header.
using V2d = double __attribute__((vector_size(16)));
using V4f = float __attribute__((vector_size(16)));
SYSBENCH_FLOPS_MULADD_KERNEL(SseF64MulAdd, V2d, "x", L2, "mulpd %[a], ", "addpd %[b], ")
SYSBENCH_FLOPS_KERNEL(SseF64Mul, V2d, "x", SYSBENCH_FL_ROUNDS(L2, "mulpd %[a], ", "mulpd %[c], "))
SYSBENCH_FLOPS_KERNEL(SseF64Add, V2d, "x", SYSBENCH_FL_ROUNDS(L2, "addpd %[b], ", "addpd %[c], "))
SYSBENCH_FLOPS_MULADD_KERNEL(SseF32MulAdd, V4f, "x", L2, "mulps %[a], ", "addps %[b], ")
SYSBENCH_FLOPS_KERNEL(SseF32Mul, V4f, "x", SYSBENCH_FL_ROUNDS(L2, "mulps %[a], ", "mulps %[c], "))
SYSBENCH_FLOPS_KERNEL(SseF32Add, V4f, "x", SYSBENCH_FL_ROUNDS(L2, "addps %[b], ", "addps %[c], "))
#undef L2

}  // namespace

FlopsFn FlopsKernelSse2(FlopsIsa isa, FlopsType type, FlopsOp op) {
  const bool scalar = isa == FlopsIsa::kScalar;
  if (isa != FlopsIsa::kScalar && isa != FlopsIsa::kSse) return nullptr;
  if (type == FlopsType::kF64) {
    switch (op) {
      case FlopsOp::kMulAdd:
        return scalar ? ScalarF64MulAdd : SseF64MulAdd;
      case FlopsOp::kMul:
        return scalar ? ScalarF64Mul : SseF64Mul;
      case FlopsOp::kAdd:
        return scalar ? ScalarF64Add : SseF64Add;
      case FlopsOp::kFma:
        return nullptr;
    }
  }
  if (type == FlopsType::kF32) {
    switch (op) {
      case FlopsOp::kMulAdd:
        return scalar ? ScalarF32MulAdd : SseF32MulAdd;
      case FlopsOp::kMul:
        return scalar ? ScalarF32Mul : SseF32Mul;
      case FlopsOp::kAdd:
        return scalar ? ScalarF32Add : SseF32Add;
      case FlopsOp::kFma:
        return nullptr;
    }
  }
  return nullptr;
}

}  // namespace sysbench::kernels
