// What the CPU can do, from cpuid (and XGETBV for OS support of wide registers).
#pragma once

#include <string>
#include <vector>

namespace sysbench {

struct CpuFeatures {
  bool sse2 = false, sse3 = false, ssse3 = false, sse41 = false, sse42 = false;
  bool avx = false, avx2 = false, fma = false, f16c = false;
  bool avx512f = false, avx512dq = false, avx512bw = false, avx512vl = false, avx512cd = false;
  bool avx512_vnni = false, avx512_bf16 = false, avx512_fp16 = false, avx_vnni = false;
  bool amx_tile = false, amx_bf16 = false, amx_int8 = false;
  bool hypervisor = false;
  std::string vendor;  // "GenuineIntel"
  std::string brand;   // "Intel(R) Xeon(R) Processor"
  unsigned family = 0, model = 0, stepping = 0;
  unsigned physical_address_bits = 0, virtual_address_bits = 0;

  // Names of the supported extensions, in a fixed order ("sse2 avx avx2 fma avx512f ...").
  std::vector<std::string> ExtensionNames() const;
  // Whether every extension of a '+'-separated list of those names is supported ("avx2+fma").
  bool HasAll(const std::string& required) const;
};

// Detected once and cached; wide-register extensions count only where the OS saves their state.
const CpuFeatures& DetectCpuFeatures();

}  // namespace sysbench
