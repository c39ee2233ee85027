// 512-bit kernels: AVX-512F (f64, f32, int32), AVX512_VNNI (int8 VPDPBUSD, int16 VPDPWSSD),
// AVX512_BF16 (VDPBF16PS) and AVX512_FP16 (VFMADD213PH). Compiled with -mavx512f; each kernel
// is called only where cpuid reports its extension (RequiredExtensions).
#include <immintrin.h>

#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

SYSBENCH_FLOPS_KERNEL(F64Fma, __m512d, "v", 2OP, 24, SYSBENCH_FL_AB, "vfmadd213pd %[b], %[a], ",
                      "vfmadd213pd %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(F64MulAdd, __m512d, "v", 3OP, 24, SYSBENCH_FL_AB, "vmulpd %[a], ",
                      "vaddpd %[b], ")
SYSBENCH_FLOPS_KERNEL(F64Mul, __m512d, "v", 3OP, 24, SYSBENCH_FL_AC, "vmulpd %[a], ",
                      "vmulpd %[c], ")
SYSBENCH_FLOPS_KERNEL(F64Add, __m512d, "v", 3OP, 24, SYSBENCH_FL_BC, "vaddpd %[b], ",
                      "vaddpd %[c], ")
SYSBENCH_FLOPS_KERNEL(F32Fma, __m512, "v", 2OP, 24, SYSBENCH_FL_AB, "vfmadd213ps %[b], %[a], ",
                      "vfmadd213ps %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(F32MulAdd, __m512, "v", 3OP, 24, SYSBENCH_FL_AB, "vmulps %[a], ",
                      "vaddps %[b], ")
SYSBENCH_FLOPS_KERNEL(F32Mul, __m512, "v", 3OP, 24, SYSBENCH_FL_AC, "vmulps %[a], ",
                      "vmulps %[c], ")
SYSBENCH_FLOPS_KERNEL(F32Add, __m512, "v", 3OP, 24, SYSBENCH_FL_BC, "vaddps %[b], ",
                      "vaddps %[c], ")
SYSBENCH_FLOPS_SPLIT_KERNEL(I32MulAdd, __m512i, "v", "v", 3OP, 24, "vpmulld %[a], ",
                            "vpaddd %[b], ")
SYSBENCH_FLOPS_KERNEL(I32Mul, __m512i, "v", 3OP, 24, SYSBENCH_FL_AC, "vpmulld %[a], ",
                      "vpmulld %[c], ")
SYSBENCH_FLOPS_KERNEL(I32Add, __m512i, "v", 3OP, 24, SYSBENCH_FL_BC, "vpaddd %[b], ",
                      "vpaddd %[c], ")
SYSBENCH_FLOPS_KERNEL(I8Dot, __m512i, "v", 2OP, 24, SYSBENCH_FL_ABC, "vpdpbusd %[b], %[a], ",
                      "vpdpbusd %[c], %[a], ")
SYSBENCH_FLOPS_KERNEL(I16Dot, __m512i, "v", 2OP, 24, SYSBENCH_FL_ABC, "vpdpwssd %[b], %[a], ",
                      "vpdpwssd %[c], %[a], ")
SYSBENCH_FLOPS_KERNEL(Bf16Dot, __m512, "v", 2OP4, 24, SYSBENCH_FL_ABC, "vdpbf16ps %[b], %[a], ",
                      "vdpbf16ps %[c], %[a], ")
SYSBENCH_FLOPS_KERNEL(F16Fma, __m512i, "v", 2OP, 24, SYSBENCH_FL_AB, "vfmadd213ph %[b], %[a], ",
                      "vfmadd213ph %[b], %[a], ")

FlopsFn Pick(FlopsOp op, FlopsFn fma, FlopsFn muladd, FlopsFn mul, FlopsFn add) {
  switch (op) {
    case FlopsOp::kFma:
      return fma;
    case FlopsOp::kMulAdd:
      return muladd;
    case FlopsOp::kMul:
      return mul;
    case FlopsOp::kAdd:
      return add;
  }
  return nullptr;
}

}  // namespace

FlopsFn FlopsKernelAvx512(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (isa != FlopsIsa::kAvx512) return nullptr;
  switch (type) {
    case FlopsType::kF64:
      return Pick(op, F64Fma, F64MulAdd, F64Mul, F64Add);
    case FlopsType::kF32:
      return Pick(op, F32Fma, F32MulAdd, F32Mul, F32Add);
    case FlopsType::kInt32:
      return Pick(op, nullptr, I32MulAdd, I32Mul, I32Add);
    case FlopsType::kInt8:
      return Pick(op, I8Dot, nullptr, nullptr, nullptr);
    case FlopsType::kInt16:
      return Pick(op, I16Dot, nullptr, nullptr, nullptr);
    case FlopsType::kBf16:
      return Pick(op, Bf16Dot, nullptr, nullptr, nullptr);
    case FlopsType::kF16:
      return Pick(op, F16Fma, nullptr, nullptr, nullptr);
  }
  return nullptr;
}

}  // namespace sysbench::kernels
