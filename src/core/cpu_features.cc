#include "sysbench/cpu_features.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <utility>

#include "core/cpuid.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

using cpuid::Regs;

bool Bit(unsigned reg, int bit) { return ((reg >> bit) & 1U) != 0; }

std::uint64_t Xgetbv() {
  unsigned lo = 0, hi = 0;
  asm volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  return (static_cast<std::uint64_t>(hi) << 32) | lo;
}

CpuFeatures Detect() {
  CpuFeatures f;
  const unsigned max_leaf = cpuid::Query(0).eax;
  {
    const Regs r = cpuid::Query(0);
    char vendor[13] = {};
    std::memcpy(vendor + 0, &r.ebx, 4);
    std::memcpy(vendor + 4, &r.edx, 4);
    std::memcpy(vendor + 8, &r.ecx, 4);
    f.vendor = vendor;
  }
  const Regs l1 = cpuid::Query(1);
  f.stepping = l1.eax & 0xF;
  const unsigned base_family = (l1.eax >> 8) & 0xF;
  const unsigned base_model = (l1.eax >> 4) & 0xF;
  f.family = base_family == 0xF ? base_family + ((l1.eax >> 20) & 0xFF) : base_family;
  f.model = (base_family == 0x6 || base_family == 0xF) ? base_model | (((l1.eax >> 16) & 0xF) << 4)
                                                       : base_model;
  f.sse2 = Bit(l1.edx, 26);
  f.sse3 = Bit(l1.ecx, 0);
  f.ssse3 = Bit(l1.ecx, 9);
  f.sse41 = Bit(l1.ecx, 19);
  f.sse42 = Bit(l1.ecx, 20);
  f.hypervisor = Bit(l1.ecx, 31);
  const bool osxsave = Bit(l1.ecx, 27);
  const std::uint64_t xcr0 = osxsave ? Xgetbv() : 0;
  const bool os_ymm = (xcr0 & 0x6) == 0x6;
  const bool os_zmm = (xcr0 & 0xE6) == 0xE6;
  const bool os_amx = (xcr0 & 0x60000) == 0x60000;
  f.avx = Bit(l1.ecx, 28) && os_ymm;
  f.fma = Bit(l1.ecx, 12) && os_ymm;
  f.f16c = Bit(l1.ecx, 29) && os_ymm;
  if (max_leaf >= 7) {
    const Regs l7 = cpuid::Query(7, 0);
    f.avx2 = Bit(l7.ebx, 5) && os_ymm;
    f.avx512f = Bit(l7.ebx, 16) && os_zmm;
    f.avx512dq = Bit(l7.ebx, 17) && os_zmm;
    f.avx512cd = Bit(l7.ebx, 28) && os_zmm;
    f.avx512bw = Bit(l7.ebx, 30) && os_zmm;
    f.avx512vl = Bit(l7.ebx, 31) && os_zmm;
    f.avx512_vnni = Bit(l7.ecx, 11) && os_zmm;
    f.avx512_fp16 = Bit(l7.edx, 23) && os_zmm;
    f.amx_bf16 = Bit(l7.edx, 22) && os_amx;
    f.amx_tile = Bit(l7.edx, 24) && os_amx;
    f.amx_int8 = Bit(l7.edx, 25) && os_amx;
    const Regs l71 = cpuid::Query(7, 1);
    f.avx_vnni = Bit(l71.eax, 4) && os_ymm;
    f.avx512_bf16 = Bit(l71.eax, 5) && os_zmm;
  }
  const unsigned max_ext = cpuid::Query(0x80000000).eax;
  if (max_ext >= 0x80000004) {
    char brand[49] = {};
    for (unsigned i = 0; i < 3; ++i) {
      const Regs r = cpuid::Query(0x80000002 + i);
      std::memcpy(brand + 16 * i + 0, &r.eax, 4);
      std::memcpy(brand + 16 * i + 4, &r.ebx, 4);
      std::memcpy(brand + 16 * i + 8, &r.ecx, 4);
      std::memcpy(brand + 16 * i + 12, &r.edx, 4);
    }
    std::string text = brand;
    const auto first = text.find_first_not_of(' ');
    const auto last = text.find_last_not_of(' ');
    f.brand = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  }
  if (max_ext >= 0x80000008) {
    const Regs r = cpuid::Query(0x80000008);
    f.physical_address_bits = r.eax & 0xFF;
    f.virtual_address_bits = (r.eax >> 8) & 0xFF;
  }
  return f;
}

}  // namespace

std::vector<std::string> CpuFeatures::ExtensionNames() const {
  const std::pair<bool, const char*> table[] = {
      {sse2, "sse2"},
      {sse3, "sse3"},
      {ssse3, "ssse3"},
      {sse41, "sse4.1"},
      {sse42, "sse4.2"},
      {avx, "avx"},
      {f16c, "f16c"},
      {fma, "fma"},
      {avx2, "avx2"},
      {avx_vnni, "avx_vnni"},
      {avx512f, "avx512f"},
      {avx512dq, "avx512dq"},
      {avx512cd, "avx512cd"},
      {avx512bw, "avx512bw"},
      {avx512vl, "avx512vl"},
      {avx512_vnni, "avx512_vnni"},
      {avx512_bf16, "avx512_bf16"},
      {avx512_fp16, "avx512_fp16"},
      {amx_tile, "amx_tile"},
      {amx_bf16, "amx_bf16"},
      {amx_int8, "amx_int8"},
  };
  std::vector<std::string> names;
  for (const auto& [present, name] : table) {
    if (present) names.emplace_back(name);
  }
  return names;
}

bool CpuFeatures::HasAll(const std::string& required) const {
  const std::vector<std::string> names = ExtensionNames();
  for (const std::string& ext : Split(required, '+')) {
    if (std::find(names.begin(), names.end(), ext) == names.end()) return false;
  }
  return true;
}

const CpuFeatures& DetectCpuFeatures() {
  static const CpuFeatures features = Detect();
  return features;
}

}  // namespace sysbench
