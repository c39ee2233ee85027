// bandwidth: every kernel on every instruction set this CPU has computes the right values (with
// and without non-temporal stores, odd lengths included), and the command's bad-input paths.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "sysbench/cpu_features.h"
#include "topics/bandwidth/kernels/bandwidth_kernels.h"

namespace sysbench {
namespace {

using kernels::StreamKernel;

struct Isa {
  const char* name;
  kernels::StreamFn fn;
  bool present;
};

std::vector<Isa> Isas() {
  const CpuFeatures& cpu = DetectCpuFeatures();
  return {{"scalar", kernels::StreamScalar, true},
          {"avx2", kernels::StreamAvx2, cpu.avx2 && cpu.fma},
          {"avx512", kernels::StreamAvx512, cpu.avx512f}};
}

// Three arrays of n doubles, 64-byte aligned, with 8 guard elements past the end.
struct Arrays {
  explicit Arrays(std::size_t count) : a(count + 16), b(count + 16), c(count + 16), n(count) {
    double* pa = Aligned(a);
    double* pb = Aligned(b);
    double* pc = Aligned(c);
    for (std::size_t i = 0; i < n + 8; ++i) {
      pa[i] = 1.0 + static_cast<double>(i % 7);
      pb[i] = 2.0 - static_cast<double>(i % 5);
      pc[i] = 0.25 * static_cast<double>(i % 3);
    }
  }
  kernels::StreamPart Part() {
    kernels::StreamPart p;
    p.a = Aligned(a);
    p.b = Aligned(b);
    p.c = Aligned(c);
    p.n = n;
    return p;
  }
  static double* Aligned(std::vector<double>& v) {
    const auto address = reinterpret_cast<std::uintptr_t>(v.data());
    return v.data() + ((64 - address % 64) % 64) / 8;
  }
  std::vector<double> a, b, c;
  std::size_t n;
};

TEST(BandwidthKernels, EveryKernelComputesTheRightValues) {
  constexpr double kS = 3.0;
  for (const Isa& isa : Isas()) {
    if (!isa.present) continue;
    for (std::size_t n : {0u, 1u, 7u, 8u, 31u, 64u, 100u, 1000u, 4099u}) {
      for (bool nt : {false, true}) {
        SCOPED_TRACE(std::string(isa.name) + " n=" + std::to_string(n) + (nt ? " nt" : ""));
        auto check = [&](StreamKernel k, auto expect_a, auto expect_b, auto expect_c) {
          Arrays x(n);
          kernels::StreamPart p = x.Part();
          const double sum = isa.fn(k, p, kS, nt, 2);
          Arrays ref(n);
          kernels::StreamPart r = ref.Part();
          double want_sum = 0;
          for (std::size_t i = 0; i < n; ++i) {
            if (k == StreamKernel::kRead) want_sum += r.a[i];
            EXPECT_EQ(p.a[i], expect_a(r, i)) << "a[" << i << "]";
            EXPECT_EQ(p.b[i], expect_b(r, i)) << "b[" << i << "]";
            EXPECT_EQ(p.c[i], expect_c(r, i)) << "c[" << i << "]";
          }
          EXPECT_EQ(p.a[n], r.a[n]) << "wrote past the end";
          EXPECT_EQ(p.c[n], r.c[n]) << "wrote past the end";
          if (k == StreamKernel::kRead) {
            EXPECT_DOUBLE_EQ(sum, 2 * want_sum);
          }
        };
        auto a = [](kernels::StreamPart& r, std::size_t i) { return r.a[i]; };
        auto b = [](kernels::StreamPart& r, std::size_t i) { return r.b[i]; };
        auto c = [](kernels::StreamPart& r, std::size_t i) { return r.c[i]; };
        check(StreamKernel::kRead, a, b, c);
        check(
            StreamKernel::kWrite, [](kernels::StreamPart&, std::size_t) { return kS; }, b, c);
        check(StreamKernel::kCopy, a, b, a);
        check(
            StreamKernel::kScale, a,
            [](kernels::StreamPart& r, std::size_t i) { return kS * r.c[i]; }, c);
        check(StreamKernel::kAdd, a, b,
              [](kernels::StreamPart& r, std::size_t i) { return r.a[i] + r.b[i]; });
        check(
            StreamKernel::kTriad,
            [](kernels::StreamPart& r, std::size_t i) { return r.b[i] + kS * r.c[i]; }, b, c);
      }
    }
  }
}

TEST(BandwidthKernels, BytesCountedAsStreamDoes) {
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kRead), 8);
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kWrite), 8);
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kCopy), 16);
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kScale), 16);
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kAdd), 24);
  EXPECT_EQ(kernels::StreamBytesPerElement(StreamKernel::kTriad), 24);
}

}  // namespace

namespace testing {
namespace {

using testing::ExpectUsageError;

TEST(BandwidthCli, BadInputExitsTwoWithOneLine) {
  for (const char* bad : {"-5", "0", "1e40", "abc", "10P"}) {
    ExpectUsageError({"bandwidth", "--size", bad}, "--size");
  }
  for (const char* bad : {"-5", "1e40", "abc", "10P"}) {
    ExpectUsageError({"bandwidth", "--sweep-max", bad}, "--sweep-max");
  }
  ExpectUsageError({"bandwidth", "--size", "1T"}, "--size");
  ExpectUsageError({"bandwidth", "--size", "64"}, "--size");
  ExpectUsageError({"bandwidth", "--kernels", "bogus"}, "--kernels");
  ExpectUsageError({"bandwidth", "--isa", "sse9"}, "--isa");
  ExpectUsageError({"--threads", "0", "bandwidth"}, "--threads");
}

TEST(BandwidthCli, SmallQuickRunIsValidated) {
  const CliRun run = RunSysbench({"--quick", "--quiet", "--format", "json", "--threads", "1,2",
                                  "bandwidth", "--size", "2M", "--sweep-max", "64K", "--nt"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  const auto& results = doc["results"];
  // Per thread count: six kernels at 2 MiB, then read and triad at 16 and 64 KiB.
  ASSERT_EQ(results.size(), 2u * (6 + 2 * 2));
  for (const auto& r : results) {
    EXPECT_EQ(r["command"], "bandwidth");
    const std::string kernel = r["params"]["kernel"];
    EXPECT_EQ(r["params"]["nt"], kernel == "read" ? "false" : "true");
    ASSERT_EQ(r["metrics"][0]["name"], "gbps");
    EXPECT_EQ(r["metrics"][0]["unit"], "GB/s");
    EXPECT_GT(r["metrics"][0]["value"].get<double>(), 0.0);
    EXPECT_EQ(r["metrics"][1]["name"], "validated");
    EXPECT_EQ(r["metrics"][1]["value"], "yes") << r["case"];
  }
}

TEST(BandwidthCli, SizesThatDoNotSplitEvenlyStillValidate) {
  const CliRun run = RunSysbench({"--quick", "--quiet", "--format", "json", "--threads", "2",
                                  "bandwidth", "--size", "1000000", "--sweep-max", "0", "--nt"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["results"].size(), 6u);
  for (const auto& r : doc["results"]) EXPECT_EQ(r["metrics"][1]["value"], "yes") << r["case"];
}

TEST(BandwidthCli, EveryIsaRuns) {
  for (const Isa& isa : Isas()) {
    if (!isa.present) continue;
    const CliRun run = RunSysbench({"--quick", "--quiet", "--format", "json", "--threads", "1",
                                    "bandwidth", "--size", "256K", "--sweep-max", "0", "--isa",
                                    isa.name, "--kernels", "read,triad"});
    ASSERT_EQ(run.code, 0) << run.err;
    const auto doc = nlohmann::json::parse(run.out);
    ASSERT_EQ(doc["results"].size(), 2u);
    for (const auto& r : doc["results"]) EXPECT_EQ(r["metrics"][1]["value"], "yes");
  }
}

}  // namespace
}  // namespace testing
}  // namespace sysbench
