// 256-bit kernels: AVX/AVX2 with FMA (f64, f32, int32) and AVX-VNNI dot products (int8
// VPDPBUSD, int16 VPDPWSSD, forced to the VEX encoding). Compiled with -mavx2 -mfma; each kernel
// is called only where cpuid reports its extensions (RequiredExtensions).
#include <immintrin.h>

#include "topics/flops/kernels/flops_asm.h"

namespace sysbench::kernels {
namespace {

SYSBENCH_FLOPS_KERNEL(F64Fma, __m256d, "x", 2OP, 14, SYSBENCH_FL_AB, "vfmadd213pd %[b], %[a], ",
                      "vfmadd213pd %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(F64MulAdd, __m256d, "x", 3OP, 14, SYSBENCH_FL_AB, "vmulpd %[a], ",
                      "vaddpd %[b], ")
SYSBENCH_FLOPS_KERNEL(F64Mul, __m256d, "x", 3OP, 14, SYSBENCH_FL_AC, "vmulpd %[a], ",
                      "vmulpd %[c], ")
SYSBENCH_FLOPS_KERNEL(F64Add, __m256d, "x", 3OP, 14, SYSBENCH_FL_BC, "vaddpd %[b], ",
                      "vaddpd %[c], ")
SYSBENCH_FLOPS_KERNEL(F32Fma, __m256, "x", 2OP, 14, SYSBENCH_FL_AB, "vfmadd213ps %[b], %[a], ",
                      "vfmadd213ps %[b], %[a], ")
SYSBENCH_FLOPS_KERNEL(F32MulAdd, __m256, "x", 3OP, 14, SYSBENCH_FL_AB, "vmulps %[a], ",
                      "vaddps %[b], ")
SYSBENCH_FLOPS_KERNEL(F32Mul, __m256, "x", 3OP, 14, SYSBENCH_FL_AC, "vmulps %[a], ",
                      "vmulps %[c], ")
SYSBENCH_FLOPS_KERNEL(F32Add, __m256, "x", 3OP, 14, SYSBENCH_FL_BC, "vaddps %[b], ",
                      "vaddps %[c], ")
SYSBENCH_FLOPS_SPLIT_KERNEL(I32MulAdd, __m256i, "x", "x", 3OP, 14, "vpmulld %[a], ",
                            "vpaddd %[b], ")
SYSBENCH_FLOPS_KERNEL(I32Mul, __m256i, "x", 3OP, 14, SYSBENCH_FL_AC, "vpmulld %[a], ",
                      "vpmulld %[c], ")
SYSBENCH_FLOPS_KERNEL(I32Add, __m256i, "x", 3OP, 14, SYSBENCH_FL_BC, "vpaddd %[b], ",
                      "vpaddd %[c], ")
// AVX-VNNI: "{vex}" (written %{vex%} in asm text) keeps the assembler from choosing the AVX512_VNNI
// (EVEX) form.
SYSBENCH_FLOPS_KERNEL(I8Dot, __m256i, "x", 2OP, 12, SYSBENCH_FL_ABC,
                      "%{vex%} vpdpbusd %[b], %[a], ", "%{vex%} vpdpbusd %[c], %[a], ")
SYSBENCH_FLOPS_KERNEL(I16Dot, __m256i, "x", 2OP, 12, SYSBENCH_FL_ABC,
                      "%{vex%} vpdpwssd %[b], %[a], ", "%{vex%} vpdpwssd %[c], %[a], ")

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

FlopsFn FlopsKernelAvx2(FlopsIsa isa, FlopsType type, FlopsOp op) {
  if (isa != FlopsIsa::kAvx2) return nullptr;
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
    case FlopsType::kF16:
      return nullptr;
  }
  return nullptr;
}

}  // namespace sysbench::kernels
