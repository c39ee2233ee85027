// Scalar and 128-bit FMA kernels (VFMADD213SD/SS, VFMADD213PD/PS xmm): VEX-encoded, so compiled
// with -mavx -mfma and called only where cpuid reports AVX and FMA.
#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

using V2d = double __attribute__((vector_size(16)));
using V4f = float __attribute__((vector_size(16)));
SYSBENCH_FLOPS_KERNEL(ScalarF64Fma, double, "x", 2OP, 14, SYSBENCH_FL_AB,
                      "vfmadd213sd %[b], %[a], ", "vfmadd213sd %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(ScalarF32Fma, float, "x", 2OP, 14, SYSBENCH_FL_AB, "vfmadd213ss %[b], %[a], ",
                      "vfmadd213ss %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(SseF64Fma, V2d, "x", 2OP, 14, SYSBENCH_FL_AB, "vfmadd213pd %[b], %[a], ",
                      "vfmadd213pd %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(SseF32Fma, V4f, "x", 2OP, 14, SYSBENCH_FL_AB, "vfmadd213ps %[b], %[a], ",
                      "vfmadd213ps %[b], %[a], ")

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
