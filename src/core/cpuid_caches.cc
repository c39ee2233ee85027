#include "sysbench/cpuid_caches.h"

#include "core/cpuid.h"
#include "sysbench/cpu_features.h"

namespace sysbench {
namespace {

using cpuid::Regs;

const char* TypeName(unsigned type) {
  switch (type) {
    case 1:
      return "Data";
    case 2:
      return "Instruction";
    default:
      return "Unified";
  }
}

// Leaf 4 and leaf 0x8000001D share one layout: one sub-leaf per cache until type 0.
std::vector<CacheInfo> DeterministicLeaf(unsigned leaf) {
  std::vector<CacheInfo> caches;
  for (unsigned index = 0; index < 16; ++index) {
    const Regs r = cpuid::Query(leaf, index);
    const unsigned type = r.eax & 0x1F;
    if (type == 0) break;
    CacheInfo cache;
    cache.level = static_cast<int>((r.eax >> 5) & 0x7);
    cache.type = TypeName(type);
    const unsigned line = (r.ebx & 0xFFF) + 1;
    const unsigned partitions = ((r.ebx >> 12) & 0x3FF) + 1;
    const unsigned ways = (r.ebx >> 22) + 1;
    const unsigned sets = r.ecx + 1;
    cache.line_bytes = static_cast<int>(line);
    cache.ways = static_cast<int>(ways);
    cache.size_bytes = std::uint64_t{line} * partitions * ways * sets;
    cache.source = "cpuid";
    caches.push_back(cache);
  }
  return caches;
}

// AMD's 4-bit associativity code of leaf 0x80000006; 0 where the code means "see another leaf".
int AmdWays(unsigned code) {
  constexpr int kWays[16] = {0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128, 0};
  return kWays[code & 0xF];
}

std::vector<CacheInfo> AmdLegacyLeaves() {
  std::vector<CacheInfo> caches;
  if (cpuid::Query(0x80000000).eax < 0x80000006) return caches;
  const Regs l1 = cpuid::Query(0x80000005);
  const Regs l23 = cpuid::Query(0x80000006);
  auto add = [&caches](int level, const char* type, std::uint64_t bytes, unsigned line, int ways) {
    if (bytes == 0) return;
    CacheInfo cache;
    cache.level = level;
    cache.type = type;
    cache.size_bytes = bytes;
    cache.line_bytes = static_cast<int>(line);
    cache.ways = ways;
    cache.source = "cpuid";
    caches.push_back(cache);
  };
  add(1, "Data", std::uint64_t{l1.ecx >> 24} << 10, l1.ecx & 0xFF,
      static_cast<int>((l1.ecx >> 16) & 0xFF));
  add(1, "Instruction", std::uint64_t{l1.edx >> 24} << 10, l1.edx & 0xFF,
      static_cast<int>((l1.edx >> 16) & 0xFF));
  add(2, "Unified", std::uint64_t{l23.ecx >> 16} << 10, l23.ecx & 0xFF,
      AmdWays((l23.ecx >> 12) & 0xF));
  add(3, "Unified", std::uint64_t{l23.edx >> 18} * 512 * 1024, l23.edx & 0xFF,
      AmdWays((l23.edx >> 12) & 0xF));
  return caches;
}

}  // namespace

std::vector<CacheInfo> CachesFromCpuid() {
  const CpuFeatures& cpu = DetectCpuFeatures();
  if (cpu.vendor == "GenuineIntel" && cpuid::Query(0).eax >= 4) return DeterministicLeaf(4);
  if (cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine") {
    const unsigned max_ext = cpuid::Query(0x80000000).eax;
    const bool topoext = max_ext >= 0x8000001D && ((cpuid::Query(0x80000001).ecx >> 22) & 1U) != 0;
    std::vector<CacheInfo> caches = topoext ? DeterministicLeaf(0x8000001D) : AmdLegacyLeaves();
    if (caches.empty()) caches = AmdLegacyLeaves();
    return caches;
  }
  return {};
}

}  // namespace sysbench
