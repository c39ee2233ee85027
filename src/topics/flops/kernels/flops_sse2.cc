// Scalar SSE2 (MULSD/ADDSD, MULSS/ADDSS) and 128-bit packed SSE/SSE2 kernels, legacy encoding.
// Baseline x86-64 flags: every x86-64 CPU has SSE2.
#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

SYSBENCH_FLOPS_KERNEL(ScalarF64MulAdd, double, "x", 2OP, 14, SYSBENCH_FL_AB, "mulsd %[a], ",
                      "addsd %[b], ")
SYSBENCH_FLOPS_KERNEL(ScalarF64Mul, double, "x", 2OP, 14, SYSBENCH_FL_AC, "mulsd %[a], ",
                      "mulsd %[c], ")
SYSBENCH_FLOPS_KERNEL(ScalarF64Add, double, "x", 2OP, 14, SYSBENCH_FL_BC, "addsd %[b], ",
                      "addsd %[c], ")
SYSBENCH_FLOPS_KERNEL(ScalarF32MulAdd, float, "x", 2OP, 14, SYSBENCH_FL_AB, "mulss %[a], ",
                      "addss %[b], ")
SYSBENCH_FLOPS_KERNEL(ScalarF32Mul, float, "x", 2OP, 14, SYSBENCH_FL_AC, "mulss %[a], ",
                      "mulss %[c], ")
SYSBENCH_FLOPS_KERNEL(ScalarF32Add, float, "x", 2OP, 14, SYSBENCH_FL_BC, "addss %[b], ",
                      "addss %[c], ")

// 128-bit values as plain vectors so this file needs no intrinsics header.
using V2d = double __attribute__((vector_size(16)));
using V4f = float __attribute__((vector_size(16)));
SYSBENCH_FLOPS_KERNEL(SseF64MulAdd, V2d, "x", 2OP, 14, SYSBENCH_FL_AB, "mulpd %[a], ",
                      "addpd %[b], ")
SYSBENCH_FLOPS_KERNEL(SseF64Mul, V2d, "x", 2OP, 14, SYSBENCH_FL_AC, "mulpd %[a], ", "mulpd %[c], ")
SYSBENCH_FLOPS_KERNEL(SseF64Add, V2d, "x", 2OP, 14, SYSBENCH_FL_BC, "addpd %[b], ", "addpd %[c], ")
SYSBENCH_FLOPS_KERNEL(SseF32MulAdd, V4f, "x", 2OP, 14, SYSBENCH_FL_AB, "mulps %[a], ",
                      "addps %[b], ")
SYSBENCH_FLOPS_KERNEL(SseF32Mul, V4f, "x", 2OP, 14, SYSBENCH_FL_AC, "mulps %[a], ", "mulps %[c], ")
SYSBENCH_FLOPS_KERNEL(SseF32Add, V4f, "x", 2OP, 14, SYSBENCH_FL_BC, "addps %[b], ", "addps %[c], ")

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
