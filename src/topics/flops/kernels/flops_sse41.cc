// 128-bit int32 kernels: PMULLD (SSE4.1) and PADDD, legacy encoding. Compiled with -msse4.1 and
// called only where cpuid reports SSE4.1.
#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

using V4i = int __attribute__((vector_size(16)));
SYSBENCH_FLOPS_SPLIT_KERNEL(SseI32MulAdd, V4i, "x", "m", 2OP, 14, "pmulld %[a], ", "paddd %[b], ")
SYSBENCH_FLOPS_KERNEL(SseI32Mul, V4i, "x", 2OP, 14, SYSBENCH_FL_AC, "pmulld %[a], ",
                      "pmulld %[c], ")
SYSBENCH_FLOPS_KERNEL(SseI32Add, V4i, "x", 2OP, 14, SYSBENCH_FL_BC, "paddd %[b], ", "paddd %[c], ")

}  // namespace

FlopsFn FlopsKernelSse41(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (isa != FlopsIsa::kSse || type != FlopsType::kInt32) return nullptr;
  switch (op) {
    case FlopsOp::kMulAdd:
      return SseI32MulAdd;
    case FlopsOp::kMul:
      return SseI32Mul;
    case FlopsOp::kAdd:
      return SseI32Add;
    case FlopsOp::kFma:
      return nullptr;
  }
  return nullptr;
}

}  // namespace sysbench::kernels
