// Which instructions this CPU offers for each number type (cpuid), and the MXCSR state.
#include <fmt/format.h>
#include <xmmintrin.h>

#include <string>

#include "sysbench/cpu_features.h"
#include "topics/float_info/facts.h"

namespace sysbench {
namespace {

struct IsaRow {
  const char* name;  // metric name
  bool present;
  const char* instruction;  // an example instruction of that set for this type
};

Result IsaResult(const char* type, std::initializer_list<IsaRow> rows) {
  Result r("float-info", std::string("isa/") + type);
  r.Param("kind", "hardware");
  for (const IsaRow& row : rows) {
    r.Add(LookedUp(row.name, std::string(row.present ? "yes: " : "no: ") + row.instruction));
  }
  return r;
}

}  // namespace

std::vector<Result> HardwareFacts() {
  const CpuFeatures& c = DetectCpuFeatures();
  std::vector<Result> results;
  results.push_back(IsaResult("float64", {{"sse2_scalar", c.sse2, "MULSD/ADDSD"},
                                          {"sse2_packed", c.sse2, "MULPD xmm"},
                                          {"avx", c.avx, "VMULPD ymm"},
                                          {"fma", c.fma, "VFMADD231PD ymm"},
                                          {"avx512f", c.avx512f, "VFMADD231PD zmm"}}));
  results.push_back(IsaResult("float32", {{"sse_scalar", c.sse2, "MULSS/ADDSS"},
                                          {"sse_packed", c.sse2, "MULPS xmm"},
                                          {"avx", c.avx, "VMULPS ymm"},
                                          {"fma", c.fma, "VFMADD231PS ymm"},
                                          {"avx512f", c.avx512f, "VFMADD231PS zmm"}}));
  results.push_back(IsaResult("float16", {{"f16c", c.f16c, "VCVTPH2PS (conversion only)"},
                                          {"avx512_fp16", c.avx512_fp16, "VFMADD231PH zmm"}}));
  results.push_back(IsaResult("bfloat16", {{"avx512_bf16", c.avx512_bf16, "VDPBF16PS zmm"},
                                           {"amx_bf16", c.amx_bf16, "TDPBF16PS tiles"}}));
  results.push_back(IsaResult("int8", {{"avx_vnni", c.avx_vnni, "VPDPBUSD ymm"},
                                       {"avx512_vnni", c.avx512_vnni, "VPDPBUSD zmm"},
                                       {"amx_int8", c.amx_int8, "TDPBUSD tiles"}}));
  results.push_back(IsaResult(
      "int16", {{"sse2", c.sse2, "PMADDWD xmm"}, {"avx512_vnni", c.avx512_vnni, "VPDPWSSD zmm"}}));
  results.push_back(IsaResult("long double", {{"x87", true, "FMUL st(0)"}}));

  const unsigned csr = _mm_getcsr();
  static const char* const kRounding[] = {"nearest-even", "down", "up", "toward-zero"};
  Result mxcsr("float-info", "mxcsr");
  mxcsr.Param("kind", "hardware");
  mxcsr.Add(LookedUp("mxcsr", fmt::format("{:#06x}", csr)))
      .Add(LookedUp("ftz", std::string((csr & 0x8000U) != 0 ? "on" : "off")))
      .Add(LookedUp("daz", std::string((csr & 0x0040U) != 0 ? "on" : "off")))
      .Add(LookedUp("rounding", std::string(kRounding[(csr >> 13) & 3U])));
  results.push_back(std::move(mxcsr));
  return results;
}

}  // namespace sysbench
