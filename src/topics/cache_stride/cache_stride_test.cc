// cache-stride: kernels against plain loops, line detection on synthetic curves, bad input.
#include "topics/cache_stride/kernels/cache_stride.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "cli_test_util.h"
#include "sysbench/cpu_features.h"
#include "topics/cache_stride/detect.h"

namespace sysbench {
namespace {

std::vector<std::int32_t> Iota(std::size_t n) {
  std::vector<std::int32_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::int32_t>(i * 2654435761u);
  return v;
}

std::vector<std::int32_t> PlainLoop(std::vector<std::int32_t> v, std::size_t stride) {
  for (std::size_t i = 0; i < v.size(); i += stride) {
    v[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(v[i]) * 3u);
  }
  return v;
}

TEST(CacheStrideKernels, MatchAPlainLoop) {
  const std::size_t n = 5 * 4096 + 37;  // not a multiple of a block or a vector
  for (std::size_t stride : {1u, 2u, 3u, 4u, 8u, 16u, 100u, 1024u, 2048u}) {
    SCOPED_TRACE(stride);
    const std::vector<std::int32_t> want = PlainLoop(Iota(n), stride);
    const std::uint64_t touches = (n + stride - 1) / stride;
    std::vector<std::int32_t> v = Iota(n);
    EXPECT_EQ(kernels::StrideUpdate(v.data(), n, stride), touches);
    EXPECT_EQ(v, want);
    if (stride == 1) {
      v = Iota(n);
      EXPECT_EQ(kernels::StrideUpdateScalar(v.data(), n), touches);
      EXPECT_EQ(v, want);
    }
    if (DetectCpuFeatures().avx2) {
      v = Iota(n);
      EXPECT_EQ(kernels::StrideUpdateAvx2(v.data(), n, stride), touches);
      EXPECT_EQ(v, want);
    }
    const std::size_t block = kernels::BlockElements(stride);
    const auto order = kernels::RandomPermutation((n + block - 1) / block, 1);
    for (kernels::UpdateFn fn :
         {kernels::UpdateFn{nullptr},
          DetectCpuFeatures().avx2 ? &kernels::StrideUpdateAvx2 : kernels::UpdateFn{nullptr}}) {
      v = Iota(n);
      EXPECT_EQ(kernels::BlockOrderUpdate(v.data(), n, stride, order, fn), touches);
      EXPECT_EQ(kernels::Checksum(v.data(), n), kernels::Checksum(want.data(), n));
      EXPECT_EQ(v, want);
    }
  }
}

TEST(CacheStrideKernels, RandomPermutationIsAPermutation) {
  auto p = kernels::RandomPermutation(1000, 3);
  EXPECT_NE(p[0] + 1, p[1]);  // shuffled (fixed seed)
  std::sort(p.begin(), p.end());
  for (std::uint32_t i = 0; i < 1000; ++i) EXPECT_EQ(p[i], i);
}

// time(S) = plateau up to `line`, then falls as 1/S; optional multiplicative noise.
std::vector<StridePoint> Curve(std::uint64_t line, double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(1 - noise, 1 + noise);
  std::vector<StridePoint> points;
  for (std::uint64_t s = 4; s <= 4096; s *= 2) {
    const double t = 0.1 * static_cast<double>(line) / static_cast<double>(std::max(s, line));
    points.push_back({s, t * jitter(rng)});
  }
  return points;
}

TEST(LineDetection, FindsTheKneeOfCleanCurves) {
  for (std::uint64_t line : {32u, 64u, 128u, 256u}) {
    const LineDetection d = DetectLineSize(Curve(line, 0, 1));
    ASSERT_TRUE(d.line_bytes) << d.reason;
    EXPECT_EQ(*d.line_bytes, line);
  }
}

TEST(LineDetection, FindsTheKneeOfNoisyCurves) {
  for (std::uint64_t seed = 0; seed < 500; ++seed) {
    const LineDetection d = DetectLineSize(Curve(64, 0.15, seed));
    ASSERT_TRUE(d.line_bytes) << "seed " << seed << ": " << d.reason;
    EXPECT_EQ(*d.line_bytes, 64u) << "seed " << seed;
  }
}

TEST(LineDetection, SeesAScalarStrideOneAndATailOfTlbNoise) {
  // Measured shape: a slow scalar first point, a plateau, the knee at 64, a ragged tail.
  const std::vector<StridePoint> points = {
      {4, 0.095},    {8, 0.047},    {16, 0.032},    {32, 0.031},    {64, 0.030},   {128, 0.015},
      {256, 0.0072}, {512, 0.0051}, {1024, 0.0011}, {2048, 0.0009}, {4096, 0.0008}};
  const LineDetection d = DetectLineSize(points);
  ASSERT_TRUE(d.line_bytes) << d.reason;
  EXPECT_EQ(*d.line_bytes, 64u);
}

TEST(LineDetection, MeasuredNoisyRandomOrderCurves) {
  // Best-of-3 curves of the random order measured on a loaded 2-core VM (ms per pass, 128 MiB).
  const std::vector<std::vector<double>> runs = {
      {54.8, 60.6, 61.8, 64.5, 40.3, 24.2, 11.5, 1.8, 1.4, 0.9, 0.6},
      {52.6, 48.2, 45.2, 48.7, 32.8, 18.1, 11.7, 1.5, 1.0, 0.7, 3.0},
      {26.6, 36.1, 38.1, 41.0, 29.5, 10.6, 3.1, 1.6, 1.0, 0.8, 0.5},
      {68.4, 64.9, 41.0, 50.7, 50.6, 33.1, 13.9, 2.0, 1.1, 0.8, 0.6}};
  for (const auto& run : runs) {
    std::vector<StridePoint> points;
    std::uint64_t stride = 4;
    for (double ms : run) {
      points.push_back({stride, ms / 1e3});
      stride *= 2;
    }
    const LineDetection d = DetectLineSize(points);
    ASSERT_TRUE(d.line_bytes) << ::testing::PrintToString(run) << d.reason;
    EXPECT_EQ(*d.line_bytes, 64u) << ::testing::PrintToString(run);
  }
}

TEST(LineDetection, AnAdjacentLinePrefetcherPlateauReads128) {
  // A sequential sweep whose plateau lasts to twice the line: the detector reports what it sees,
  // which is why the command detects on the random order.
  std::vector<StridePoint> points = Curve(128, 0, 1);
  EXPECT_EQ(DetectLineSize(points).line_bytes.value_or(0), 128u);
}

TEST(LineDetection, NoKneeIsNotDetected) {
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    std::vector<StridePoint> flat, falling;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> jitter(0.85, 1.15);
    for (std::uint64_t s = 4; s <= 4096; s *= 2) {
      flat.push_back({s, 0.05 * jitter(rng)});
      falling.push_back({s, 1.0 / static_cast<double>(s) * jitter(rng)});
    }
    for (const auto& points : {flat, falling}) {
      const LineDetection d = DetectLineSize(points);
      EXPECT_FALSE(d.line_bytes) << "seed " << seed << ": " << d.line_bytes.value_or(0);
      EXPECT_EQ(d.reason.rfind("not detected", 0), 0u) << d.reason;
    }
  }
  // A single drop with no fall after it is noise, not a knee.
  std::vector<StridePoint> step = {{4, 1}, {8, 1}, {16, 1}, {32, 0.5}, {64, 0.5}, {128, 0.5}};
  EXPECT_FALSE(DetectLineSize(step).line_bytes);
  // Too few points, and bad points.
  EXPECT_FALSE(DetectLineSize({{4, 1}, {8, 1}, {16, 0.5}}).line_bytes);
  EXPECT_FALSE(DetectLineSize({{4, 1}, {4, 1}, {16, 0.5}, {32, 0.25}}).line_bytes);
  EXPECT_FALSE(DetectLineSize({{4, 1}, {8, 0}, {16, 0.5}, {32, 0.25}}).line_bytes);
}

// Plateau up to `knee`, then 1/S (a sequential sweep whose prefetchers fetch `knee` bytes).
TEST(StrideKnee, FindsThePlateauEndOfCleanAndNoisyCurves) {
  for (std::uint64_t knee : {64u, 128u, 256u}) {
    const LineDetection d = DetectStrideKnee(Curve(knee, 0, 1));
    ASSERT_TRUE(d.line_bytes) << d.reason;
    EXPECT_EQ(*d.line_bytes, knee);
  }
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    const LineDetection d = DetectStrideKnee(Curve(256, 0.08, seed));
    ASSERT_TRUE(d.line_bytes) << "seed " << seed << ": " << d.reason;
    EXPECT_EQ(*d.line_bytes, 256u) << "seed " << seed;
  }
}

// Stride points 4, 8, 16 ... bytes from milliseconds per pass.
std::vector<StridePoint> PointsFromMs(const std::vector<double>& ms) {
  std::vector<StridePoint> points;
  std::uint64_t stride = 4;
  for (double v : ms) {
    points.push_back({stride, v / 1e3});
    stride *= 2;
  }
  return points;
}

TEST(StrideKnee, MeasuredSequentialCurveOfAXeonWithStreamer) {
  // Best ms per pass, address order, 256 MiB, Xeon (AMX) under KVM: flat to 256 B, then falling,
  // but not as 1/K (DetectLineSize's test) right after the knee.
  const std::vector<double> ms = {15.31, 15.43, 15.28, 15.46, 14.88, 16.22,
                                  13.19, 8.26,  3.43,  1.64,  0.78};
  const std::vector<StridePoint> points = PointsFromMs(ms);
  EXPECT_EQ(DetectStrideKnee(points).line_bytes.value_or(0), 256u);
}

TEST(StrideKnee, CountsFromTheLineWhenPassesBelowItAreLoadBound) {
  // Best ms per pass, address order, the H200 machine's Xeon (model 207): below the line several
  // loads per line make each pass slower (28 ms) than the memory's plateau from the line up.
  const std::vector<double> ms = {28.08, 28.25, 28.61, 28.35, 20.32, 19.22,
                                  12.51, 6.53,  2.94,  1.47,  0.73};
  const std::vector<StridePoint> points = PointsFromMs(ms);
  // From the first point the load-bound passes set the plateau, and the knee comes too early.
  EXPECT_LT(DetectStrideKnee(points).line_bytes.value_or(0), 128u);
  EXPECT_EQ(DetectStrideKnee(points, 64).line_bytes.value_or(0), 128u);
}

TEST(StrideKnee, NoFallOrAFallFromTheStartIsNotDetected) {
  std::vector<StridePoint> flat, falling;
  for (std::uint64_t s = 4; s <= 4096; s *= 2) {
    flat.push_back({s, 1.0});
    falling.push_back({s, 1.0 / static_cast<double>(s)});
  }
  EXPECT_FALSE(DetectStrideKnee(flat).line_bytes);
  EXPECT_FALSE(DetectStrideKnee(falling).line_bytes);
  EXPECT_FALSE(DetectStrideKnee({{4, 1}, {8, 1}, {16, 0.1}}).line_bytes);
  EXPECT_FALSE(DetectStrideKnee({{4, 1}, {8, 1}, {16, 1}, {32, 0}, {64, 0.1}}).line_bytes);
}

// Updates `contended` x slower than a page apart below `line`, `apart` x from it on; noise is
// multiplicative. The last point is the reference, a page apart.
std::vector<CoherencePoint> CoherenceCurveOf(std::uint64_t line, double contended, double apart,
                                             double noise, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> jitter(1 - noise, 1 + noise);
  std::vector<CoherencePoint> points;
  for (std::uint64_t d = 4; d <= 256; d *= 2) {
    points.push_back({d, 5.0 * (d < line ? contended : apart) * jitter(rng), 9});
  }
  points.push_back({4096, 5.0 * jitter(rng), 9});
  return points;
}

TEST(CoherenceLine, FindsTheLineOfCleanAndNoisyCurves) {
  for (std::uint64_t line : {8u, 32u, 64u, 128u, 256u}) {
    const LineDetection d = DetectCoherenceLine(CoherenceCurveOf(line, 8, 1, 0, 1));
    ASSERT_TRUE(d.line_bytes) << d.reason;
    EXPECT_EQ(*d.line_bytes, line);
  }
  // An adjacent-line prefetcher that makes the neighbouring line cost a little too (1.5x).
  for (std::uint64_t seed = 0; seed < 300; ++seed) {
    std::vector<CoherencePoint> points = CoherenceCurveOf(64, 8, 1, 0.2, seed);
    points[4].ns_per_update *= 1.5;  // 64 B apart
    const LineDetection d = DetectCoherenceLine(points);
    ASSERT_TRUE(d.line_bytes) << "seed " << seed << ": " << d.reason;
    EXPECT_EQ(*d.line_bytes, 64u) << "seed " << seed;
  }
}

TEST(CoherenceLine, MeasuredCurveOfAXeonUnderKvm) {
  // Median ns per update, two vCPUs, counters 4..256 B apart and a page apart.
  const std::vector<CoherencePoint> points = {{4, 41.3, 5},  {8, 40.2, 5},  {16, 36.7, 5},
                                              {32, 39.1, 5}, {64, 4.9, 5},  {128, 5.1, 5},
                                              {256, 5.1, 5}, {4096, 4.9, 5}};
  EXPECT_EQ(DetectCoherenceLine(points).line_bytes.value_or(0), 64u);
}

TEST(CoherenceLine, NoContentionFewTrialsOrTwoCrossingsAreNotDetected) {
  const LineDetection siblings = DetectCoherenceLine(CoherenceCurveOf(64, 1.2, 1, 0, 1));
  EXPECT_FALSE(siblings.line_bytes);
  EXPECT_NE(siblings.reason.find("share one core"), std::string::npos) << siblings.reason;
  std::vector<CoherencePoint> few = CoherenceCurveOf(64, 8, 1, 0, 1);
  few[2].trials = 2;
  EXPECT_FALSE(DetectCoherenceLine(few).line_bytes);
  std::vector<CoherencePoint> twice = CoherenceCurveOf(64, 8, 1, 0, 1);
  twice[5].ns_per_update = twice[0].ns_per_update;  // contends again 128 B apart
  EXPECT_FALSE(DetectCoherenceLine(twice).line_bytes);
  EXPECT_FALSE(DetectCoherenceLine(CoherenceCurveOf(512, 8, 1, 0, 1)).line_bytes);  // never stops
  EXPECT_FALSE(DetectCoherenceLine({{4, 40, 9}, {4096, 5, 9}}).line_bytes);
}

using testing::ExpectUsageError;

TEST(CacheStrideCli, BadInputExitsTwo) {
  for (const char* size : {"0", "-5", "abc", "1e40", "10P", "1T", "4K"}) {
    ExpectUsageError({"cache-stride", "--size", size}, "--size");
  }
  ExpectUsageError({"cache-stride", "--strides", "0"}, "--strides");
  ExpectUsageError({"cache-stride", "--strides", "x"}, "--strides");
  ExpectUsageError({"cache-stride", "--size", "1M", "--strides", "1,200000"}, "--strides");
  ExpectUsageError({"cache-stride", "--order", "backwards"}, "--order");
  ExpectUsageError({"cache-stride", "--line-only", "--size", "1M"}, "--line-only");
  ExpectUsageError({"cache-stride", "--line-only", "--order", "random"}, "--line-only");
}

TEST(CacheStrideCli, SmallRunEmitsEveryCaseAndTheLineSize) {
  const testing::CliRun run =
      testing::RunSysbench({"-q", "--format", "json", "--repetitions", "2", "cache-stride",
                            "--size", "1M", "--strides", "1,2,16,64"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  int cases = 0;
  bool line_size = false;
  for (const auto& r : json["results"]) {
    if (r["case"] == "line-size") {
      line_size = true;
      continue;
    }
    if (r["case"].get<std::string>().rfind("coherence/", 0) == 0) continue;
    ++cases;
    bool has_relative = false;
    for (const auto& m : r["metrics"]) has_relative |= m["name"] == "relative_time";
    EXPECT_TRUE(has_relative);
  }
  EXPECT_EQ(cases, 2 * 4 + 1);  // two orders x four strides, and the scalar stride-1 pass
  EXPECT_TRUE(line_size);
}

TEST(CacheStrideCli, LineOnlyEmitsTheCoherenceCurveAndTheLine) {
  const testing::CliRun run =
      testing::RunSysbench({"-q", "--format", "json", "cache-stride", "--line-only"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  std::map<std::string, nlohmann::json> line;
  int distances = 0;
  for (const auto& r : json["results"]) {
    const std::string id = r["case"];
    if (id.rfind("coherence/d=", 0) == 0) ++distances;
    if (id != "line-size") continue;
    for (const auto& m : r["metrics"]) line[m["name"]] = m;
  }
  ASSERT_TRUE(line.count("coherence_line_bytes"));
  EXPECT_EQ(line["coherence_line_bytes"]["source"], "measured");
  EXPECT_EQ(line["looked_up_line_bytes"]["source"], "lookup");
  EXPECT_FALSE(line.count("sequential_knee_bytes"));  // no stride curve
  // Two CPUs or more: one case per distance (4..256 B and a page); one CPU: skipped, said why.
  if (std::thread::hardware_concurrency() >= 2) {
    EXPECT_EQ(distances, 8);
  } else {
    EXPECT_NE(line["coherence"].get<std::string>().find("skipped"), std::string::npos);
  }
}

TEST(CacheStrideCli, LineOnlyOnOneCpuSaysWhy) {
  const testing::CliRun run = testing::RunSysbench(
      {"-q", "--format", "json", "--cpus", "0", "cache-stride", "--line-only"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("needs two CPUs"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace sysbench
