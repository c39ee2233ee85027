// Looked-up machine facts: cache geometry from sysfs or cpuid is well-formed when present.
#include "sysbench/system_info.h"

#include <gtest/gtest.h>

#include <bit>

#include "core/mapped_buffer.h"
#include "sysbench/cpu_features.h"
#include "sysbench/cpuid_caches.h"

namespace sysbench {
namespace {

void ExpectWellFormed(const std::vector<CacheInfo>& caches) {
  for (const CacheInfo& c : caches) {
    SCOPED_TRACE(c.Name() + " from " + c.source);
    EXPECT_GE(c.level, 1);
    EXPECT_LE(c.level, 4);
    EXPECT_TRUE(c.type == "Data" || c.type == "Instruction" || c.type == "Unified") << c.type;
    EXPECT_GT(c.size_bytes, 0u);
    EXPECT_TRUE(std::has_single_bit(static_cast<unsigned>(c.line_bytes))) << c.line_bytes;
    EXPECT_GE(c.ways, 0);
  }
}

TEST(CpuFeatures, HasAllChecksEveryNameOfTheList) {
  CpuFeatures cpu;
  cpu.avx2 = cpu.fma = true;
  EXPECT_TRUE(cpu.HasAll("avx2"));
  EXPECT_TRUE(cpu.HasAll("avx2+fma"));
  EXPECT_FALSE(cpu.HasAll("avx2+fma+avx512f"));
  EXPECT_FALSE(cpu.HasAll("avx9"));
  cpu.avx512_bf16 = true;
  EXPECT_TRUE(cpu.HasAll("avx512_bf16"));
}

TEST(SystemInfo, CpuidCachesAreWellFormed) {
  const std::vector<CacheInfo> caches = CachesFromCpuid();
  ExpectWellFormed(caches);
  for (const CacheInfo& c : caches) EXPECT_EQ(c.source, "cpuid");
}

TEST(SystemInfo, CachesComeFromOneNamedSource) {
  const SystemInfo& info = GetSystemInfo();
  ExpectWellFormed(info.caches);
  for (const CacheInfo& c : info.caches) {
    EXPECT_TRUE(c.source == "sysfs" || c.source == "cpuid") << c.source;
    EXPECT_EQ(c.source, info.caches.front().source);
  }
  if (!info.caches.empty()) {
    EXPECT_GT(info.LastLevelCacheBytes(), 0u);
    EXPECT_GT(info.L1LineBytes(), 0);
  }
}

TEST(SystemInfo, TransparentHugePageModeIsTheBracketedWord) {
  EXPECT_EQ(BracketedWord("always [madvise] never"), "madvise");
  EXPECT_EQ(BracketedWord("[always] madvise never"), "always");
  EXPECT_EQ(BracketedWord("always madvise never"), "");
  EXPECT_EQ(kHugePageBytes, std::size_t{2} << 20);
}

}  // namespace
}  // namespace sysbench
