// 512-bit kernels: AVX-512F (f64, f32, int32), AVX512_VNNI (int8 VPDPBUSD, int16 VPDPWSSD),
// AVX512_BF16 (VDPBF16PS) and AVX512_FP16 (VFMADD213PH). Compiled with -mavx512f; each kernel
// is called only where cpuid reports its extension (RequiredExtensions).
#include <immintrin.h>

#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

#define L2 SYSBENCH_FL_2OP
#define L3 SYSBENCH_FL_3OP
SYSBENCH_FLOPS_KERNEL(F64Fma, __m512d, "v", SYSBENCH_FL_SAME2(L2, "vfmadd213pd %[b], %[a], "))
SYSBENCH_FLOPS_MULADD_KERNEL(F64MulAdd, __m512d, "v", L3, "vmulpd %[a], ", "vaddpd %[b], ")
SYSBENCH_FLOPS_KERNEL(F64Mul, __m512d, "v",
                      SYSBENCH_FL_ROUNDS(L3, "vmulpd %[a], ", "vmulpd %[c], "))
SYSBENCH_FLOPS_KERNEL(F64Add, __m512d, "v",
                      SYSBENCH_FL_ROUNDS(L3, "vaddpd %[b], ", "vaddpd %[c], "))
SYSBENCH_FLOPS_KERNEL(F32Fma, __m512, "v", SYSBENCH_FL_SAME2(L2, "vfmadd213ps %[b], %[a], "))
SYSBENCH_FLOPS_MULADD_KERNEL(F32MulAdd, __m512, "v", L3, "vmulps %[a], ", "vaddps %[b], ")
SYSBENCH_FLOPS_KERNEL(F32Mul, __m512, "v", SYSBENCH_FL_ROUNDS(L3, "vmulps %[a], ", "vmulps %[c], "))
SYSBENCH_FLOPS_KERNEL(F32Add, __m512, "v", SYSBENCH_FL_ROUNDS(L3, "vaddps %[b], ", "vaddps %[c], "))
SYSBENCH_FLOPS_MULADD_KERNEL(I32MulAdd, __m512i, "v", L3, "vpmulld %[a], ", "vpaddd %[b], ")
SYSBENCH_FLOPS_KERNEL(I32Mul, __m512i, "v",
                      SYSBENCH_FL_ROUNDS(L3, "vpmulld %[a], ", "vpmulld %[c], "))
SYSBENCH_FLOPS_KERNEL(I32Add, __m512i, "v",
                      SYSBENCH_FL_ROUNDS(L3, "vpaddd %[b], ", "vpaddd %[c], "))
SYSBENCH_FLOPS_KERNEL(I8Dot, __m512i, "v",
                      SYSBENCH_FL_ROUNDS(L2, "vpdpbusd %[b], %[a], ", "vpdpbusd %[c], %[a], "))
SYSBENCH_FLOPS_KERNEL(I16Dot, __m512i, "v",
                      SYSBENCH_FL_ROUNDS(L2, "vpdpwssd %[b], %[a], ", "vpdpwssd %[c], %[a], "))
SYSBENCH_FLOPS_KERNEL(Bf16Dot, __m512, "v",
                      SYSBENCH_FL_ROUNDS(L2, "vdpbf16ps %[b], %[a], ", "vdpbf16ps %[c], %[a], "))
SYSBENCH_FLOPS_KERNEL(F16Fma, __m512i, "v", SYSBENCH_FL_SAME2(L2, "vfmadd213ph %[b], %[a], "))
#undef L2
#undef L3

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
