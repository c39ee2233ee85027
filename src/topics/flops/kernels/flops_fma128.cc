// Scalar and 128-bit FMA kernels (VFMADD213SD/SS, VFMADD213PD/PS xmm): VEX-encoded, so compiled
// with -mavx -mfma and called only where cpuid reports AVX and FMA.
#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

using V2d = double __attribute__((vector_size(16)));
using V4f = float __attribute__((vector_size(16)));
#define L2 SYSBENCH_FL_2OP
SYSBENCH_FLOPS_KERNEL(ScalarF64Fma, double, "x", SYSBENCH_FL_SAME2(L2, "vfmadd213sd %[b], %[a], "))
SYSBENCH_FLOPS_KERNEL(ScalarF32Fma, float, "x", SYSBENCH_FL_SAME2(L2, "vfmadd213ss %[b], %[a], "))
SYSBENCH_FLOPS_KERNEL(SseF64Fma, V2d, "x", SYSBENCH_FL_SAME2(L2, "vfmadd213pd %[b], %[a], "))
SYSBENCH_FLOPS_KERNEL(SseF32Fma, V4f, "x", SYSBENCH_FL_SAME2(L2, "vfmadd213ps %[b], %[a], "))
#undef L2

}  // namespace

FlopsFn FlopsKernelFma128(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (op != FlopsOp::kFma) return nullptr;
  const bool scalar = isa == FlopsIsa::kScalar;
  if (isa != FlopsIsa::kScalar && isa != FlopsIsa::kSse) return nullptr;
  if (type == FlopsType::kF64) return scalar ? ScalarF64Fma : SseF64Fma;
  if (type == FlopsType::kF32) return scalar ? ScalarF32Fma : SseF32Fma;
  return nullptr;
}

}  // namespace sysbench::kernels
