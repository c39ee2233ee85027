// `sysbench flops`: every kernel's arithmetic against values computed here independently, the
// peak table, ISA dispatch, and the bad-input paths.
#include "topics/flops/kernels/flops.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "cli_test_util.h"
#include "sysbench/cpu_features.h"
#include "sysbench/system_info.h"
#include "topics/flops/amx_permission.h"
#include "topics/flops/peak.h"

namespace sysbench {
namespace {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsState;
using kernels::FlopsType;

constexpr FlopsIsa kIsas[] = {FlopsIsa::kScalar, FlopsIsa::kSse, FlopsIsa::kAvx2, FlopsIsa::kAvx512,
                              FlopsIsa::kAmx};
constexpr FlopsType kTypes[] = {FlopsType::kF64,  FlopsType::kF32,  FlopsType::kBf16,
                                FlopsType::kF16,  FlopsType::kInt8, FlopsType::kInt16,
                                FlopsType::kInt32};
constexpr FlopsOp kOps[] = {FlopsOp::kFma, FlopsOp::kMulAdd, FlopsOp::kMul, FlopsOp::kAdd};

template <typename T>
T Get(const unsigned char* reg, int lane) {
  T value;
  std::memcpy(&value, reg + static_cast<std::size_t>(lane) * sizeof(T), sizeof(T));
  return value;
}

template <typename T>
void Set(unsigned char* reg, int lane, T value) {
  std::memcpy(reg + static_cast<std::size_t>(lane) * sizeof(T), &value, sizeof(T));
}

float Bf16ToFloat(std::uint16_t bits) {
  const std::uint32_t wide = static_cast<std::uint32_t>(bits) << 16;
  float value;
  std::memcpy(&value, &wide, sizeof value);
  return value;
}

// One round on a float lane, written out as the documented formulas (flops.h).
template <typename T>
T FloatRound(FlopsOp op, int round, T x, T a, T b, T c) {
  switch (op) {
    case FlopsOp::kFma:
      return std::fma(x, a, b);
    case FlopsOp::kMulAdd:
      return round == 1 ? x * a : x + b;
    case FlopsOp::kMul:
      return round == 1 ? x * a : x * c;
    case FlopsOp::kAdd:
      return round == 1 ? x + b : x + c;
  }
  return x;
}

std::uint32_t IntRound(FlopsOp op, int round, std::uint32_t x, std::uint32_t a, std::uint32_t b,
                       std::uint32_t c) {
  switch (op) {
    case FlopsOp::kMulAdd:
      return round == 1 ? x * a : x + b;
    case FlopsOp::kMul:
      return round == 1 ? x * a : x * c;
    case FlopsOp::kAdd:
      return round == 1 ? x + b : x + c;
    case FlopsOp::kFma:
      break;
  }
  return x;
}

// IEEE half <-> double; the conversion to half rounds to nearest even (GCC's _Float16).
double HalfToDouble(std::uint16_t bits) {
  _Float16 h;
  std::memcpy(&h, &bits, sizeof h);
  return static_cast<double>(h);
}

std::uint16_t DoubleToHalf(double value) {
  const auto h = static_cast<_Float16>(value);
  std::uint16_t bits;
  std::memcpy(&bits, &h, sizeof bits);
  return bits;
}

// AMX: n passes of C_t += A_(t/2) x B_(t%2) (flops.h), element by element in the tiles' layout:
// A is 16 rows of K elements, B is K/P rows of 16 groups of P elements (P = 4 int8, 2 bf16).
FlopsState ExpectedAmx(const FlopsState& start, FlopsType type, int n) {
  FlopsState s = start;
  const bool int8 = type == FlopsType::kInt8;
  const int per_group = int8 ? 4 : 2;
  const int k_elements = 64 / kernels::ElementBytes(type);
  for (int it = 0; it < n; ++it) {
    for (int t = 0; t < 4; ++t) {
      const unsigned char* a = s.tiles[4 + t / 2];
      const unsigned char* b = s.tiles[6 + t % 2];
      unsigned char* c = s.tiles[t];
      for (int row = 0; row < 16; ++row) {
        for (int col = 0; col < 16; ++col) {
          const int lane = row * 16 + col;
          if (int8) {
            std::uint32_t sum = Get<std::uint32_t>(c, lane);
            for (int k = 0; k < k_elements; ++k) {
              const int u = Get<std::uint8_t>(a, row * k_elements + k);
              const int v =
                  Get<std::int8_t>(b, (k / per_group) * 64 + col * per_group + k % per_group);
              sum += static_cast<std::uint32_t>(u * v);
            }
            Set(c, lane, sum);
          } else {
            // Exact for the constants used (small powers of two), so the order does not matter.
            float sum = Get<float>(c, lane);
            for (int k = 0; k < k_elements; ++k) {
              sum += Bf16ToFloat(Get<std::uint16_t>(a, row * k_elements + k)) *
                     Bf16ToFloat(Get<std::uint16_t>(
                         b, (k / per_group) * 32 + col * per_group + k % per_group));
            }
            Set(c, lane, sum);
          }
        }
      }
    }
  }
  return s;
}

// One round of `op` on each lane of `reg`, with the lanes of the state's a, b and c.
template <typename T>
void RoundLanes(unsigned char* reg, const FlopsState& s, FlopsOp op, int round, int lanes) {
  for (int l = 0; l < lanes; ++l) {
    const T x = Get<T>(reg, l), a = Get<T>(s.a, l), b = Get<T>(s.b, l), c = Get<T>(s.c, l);
    if constexpr (std::is_floating_point_v<T>) {
      Set(reg, l, FloatRound<T>(op, round, x, a, b, c));
    } else {
      Set(reg, l, IntRound(op, round, x, a, b, c));
    }
  }
}

// Integer dot products (vpdpbusd, vpdpwssd): each 32-bit lane of `reg` adds the products of its
// kPerLane elements of `a` (type A) and `b` (type B), wrapping as the instructions do.
template <typename A, typename B, int kPerLane>
void AddIntDots(unsigned char* reg, const unsigned char* a, const unsigned char* b, int lanes) {
  for (int l = 0; l < lanes; ++l) {
    std::uint32_t sum = Get<std::uint32_t>(reg, l);
    for (int k = 0; k < kPerLane; ++k) {
      const int u = Get<A>(a, kPerLane * l + k);
      const int v = Get<B>(b, kPerLane * l + k);
      sum += static_cast<std::uint32_t>(u * v);
    }
    Set(reg, l, sum);
  }
}

// Computes the expected state after `n` iterations, lane by lane, from the start state.
FlopsState Expected(const FlopsState& start, FlopsIsa isa, FlopsType type, FlopsOp op, int n) {
  if (isa == FlopsIsa::kAmx) return ExpectedAmx(start, type, n);
  FlopsState s = start;
  const int bytes = kernels::RegisterBytes(isa, type);
  const int chains = kernels::FlopsChains(isa, type, op);
  if (kernels::SplitMulAdd(isa, type, op)) {  // the first of each half adds, the others multiply
    for (int r = 0; r < chains; ++r) {
      const bool adds = kernels::IsAddChain(isa, type, op, r);
      const int per_pass = adds ? (chains - 2) / 2 : 1;
      for (int i = 0; i < n * per_pass; ++i) {
        RoundLanes<std::uint32_t>(s.acc[r], s, op, adds ? 2 : 1, bytes / 4);
      }
    }
    return s;
  }
  for (int r = 0; r < chains; ++r) {  // the others stay as they were
    auto& reg = s.acc[r];
    for (int it = 0; it < n; ++it) {
      for (int round = 1; round <= 2; ++round) {
        switch (type) {
          case FlopsType::kF64:
            RoundLanes<double>(reg, s, op, round, bytes / 8);
            break;
          case FlopsType::kF32:
            RoundLanes<float>(reg, s, op, round, bytes / 4);
            break;
          case FlopsType::kInt32:
            RoundLanes<std::uint32_t>(reg, s, op, round, bytes / 4);
            break;
          case FlopsType::kInt8:
            AddIntDots<std::uint8_t, std::int8_t, 4>(reg, s.a, round == 1 ? s.b : s.c, bytes / 4);
            break;
          case FlopsType::kInt16:
            AddIntDots<std::int16_t, std::int16_t, 2>(reg, s.a, round == 1 ? s.b : s.c, bytes / 4);
            break;
          case FlopsType::kBf16: {
            // Exact for the kernel's constants (small multiples of 1/8), so the order of the
            // two products and the accumulator does not matter.
            const unsigned char* other = round == 1 ? s.b : s.c;
            for (int l = 0; l < bytes / 4; ++l) {
              float sum = Get<float>(reg, l);
              for (int k = 0; k < 2; ++k) {
                sum += Bf16ToFloat(Get<std::uint16_t>(s.a, 2 * l + k)) *
                       Bf16ToFloat(Get<std::uint16_t>(other, 2 * l + k));
              }
              Set(reg, l, sum);
            }
            break;
          }
          case FlopsType::kF16:
            // x * a + b is exact in double for these halves, so one rounding to half is the FMA.
            for (int l = 0; l < bytes / 2; ++l) {
              Set(reg, l,
                  DoubleToHalf(HalfToDouble(Get<std::uint16_t>(reg, l)) *
                                   HalfToDouble(Get<std::uint16_t>(s.a, l)) +
                               HalfToDouble(Get<std::uint16_t>(s.b, l))));
            }
            break;
        }
      }
    }
  }
  return s;
}

TEST(FlopsKernels, EveryKernelComputesTheDocumentedValues) {
  int checked = 0;
  for (FlopsIsa isa : kIsas) {
    for (FlopsType type : kTypes) {
      for (FlopsOp op : kOps) {
        const kernels::FlopsFn fn = kernels::FindFlopsKernel(isa, type, op);
        if (fn == nullptr) continue;
        const std::string required = kernels::RequiredExtensions(isa, type, op);
        ASSERT_FALSE(required.empty());
        EXPECT_GT(kernels::OpsPerIteration(isa, type, op), 0);
        EXPECT_STRNE(kernels::Instruction(isa, type, op), "");
        if (!DetectCpuFeatures().HasAll(required)) continue;
        std::string refused;
        if (isa == FlopsIsa::kAmx && !RequestAmxPermission(refused)) continue;
        SCOPED_TRACE(std::string(kernels::Instruction(isa, type, op)));
        FlopsState start;
        kernels::InitFlopsState(start, isa, type, op);
        // The mul kernel's two constants undo each other (to stay bounded in long runs); here c
        // takes a's value so the result moves and a kernel that did nothing would fail.
        if (op == FlopsOp::kMul) std::memcpy(start.c, start.a, sizeof start.c);
        for (int n : {0, 1, 5, 37}) {
          FlopsState got = start;
          fn(got, static_cast<std::uint64_t>(n));
          const FlopsState want = Expected(start, isa, type, op, n);
          // The chained twin computes the same values and its chain the exact sum.
          FlopsState chained = start;
          chained.interleave_clock_chain = true;
          fn(chained, static_cast<std::uint64_t>(n));
          EXPECT_EQ(
              chained.clock_chain,
              static_cast<std::uint64_t>(n) *
                  static_cast<std::uint64_t>(kernels::ClockChainAddsPerIteration(isa, type, op)) *
                  kernels::kClockChainStep);
          EXPECT_EQ(std::memcmp(chained.acc, got.acc, sizeof got.acc), 0);
          EXPECT_EQ(std::memcmp(chained.tiles, got.tiles, sizeof got.tiles), 0);
          if (isa == FlopsIsa::kAmx) {
            EXPECT_EQ(std::memcmp(got.tiles, want.tiles, sizeof got.tiles), 0) << "n=" << n;
            if (n > 0) {
              EXPECT_NE(std::memcmp(got.tiles[0], start.tiles[0], 1024), 0);
            }
            continue;
          }
          const int bytes = kernels::RegisterBytes(isa, type);
          for (int r = 0; r < kernels::kFlopsAccumulators; ++r) {
            ASSERT_EQ(std::memcmp(got.acc[r], want.acc[r], static_cast<std::size_t>(bytes)), 0)
                << "n=" << n << " register " << r;
            if (n > 0 && r < kernels::FlopsChains(isa, type,
                                                  op)) {  // the kernel really changed the values (a
                                                          // deleted kernel fails here)
              EXPECT_NE(std::memcmp(got.acc[r], start.acc[r], static_cast<std::size_t>(bytes)), 0);
            }
          }
        }
        ++checked;
      }
    }
  }
  // Any x86-64 CPU runs at least the SSE2 scalar and packed kernels (2 types x 3 ops x 2).
  EXPECT_GE(checked, 12);
}

TEST(FlopsKernels, FloatValuesStayNormalOverLongRuns) {
  for (FlopsIsa isa : {FlopsIsa::kScalar, FlopsIsa::kSse}) {
    for (FlopsType type : {FlopsType::kF64, FlopsType::kF32}) {
      for (FlopsOp op : {FlopsOp::kMulAdd, FlopsOp::kMul, FlopsOp::kAdd}) {
        FlopsState s;
        kernels::InitFlopsState(s, isa, type, op);
        kernels::FindFlopsKernel(isa, type, op)(s, 2'000'000);
        for (const auto& reg : s.acc) {
          const double v = type == FlopsType::kF64 ? Get<double>(reg, 0) : Get<float>(reg, 0);
          EXPECT_TRUE(std::isnormal(v)) << v;
          EXPECT_LT(std::fabs(v), 1e6);
          EXPECT_GT(std::fabs(v), 1e-6);
        }
      }
    }
  }
}

TEST(FlopsKernels, OperationsAreCountedByConstruction) {
  // 2 x FlopsChains instructions per iteration (48 for zmm; 28 for xmm/ymm/scalar, 24 for their
  // dot products) x lanes x (2 for an FMA, 1 for a mul or an add).
  EXPECT_EQ(kernels::FlopsChains(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMul), 24);
  EXPECT_EQ(kernels::FlopsChains(FlopsIsa::kAvx2, FlopsType::kInt32, FlopsOp::kMulAdd), 14);
  // int32 mul+add: a multiply and an add per multiply chain (12 of 14, 22 of 24).
  EXPECT_EQ(kernels::InstructionsPerIteration(FlopsIsa::kSse, FlopsType::kInt32, FlopsOp::kMulAdd),
            24);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx2, FlopsType::kInt32, FlopsOp::kMulAdd), 24 * 8);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMulAdd),
            44 * 16);
  EXPECT_EQ(
      kernels::ClockChainAddsPerIteration(FlopsIsa::kAvx2, FlopsType::kInt32, FlopsOp::kMulAdd),
      48);
  EXPECT_EQ(kernels::FlopsChains(FlopsIsa::kAvx2, FlopsType::kInt8, FlopsOp::kFma), 12);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kF32, FlopsOp::kFma),
            48 * 16 * 2);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kF64, FlopsOp::kMulAdd), 48 * 8);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kScalar, FlopsType::kF64, FlopsOp::kFma), 56);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kSse, FlopsType::kF32, FlopsOp::kAdd), 28 * 4);
  // Dot products: a multiply and an add per element pair (int8 zmm: 64 pairs).
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kInt8, FlopsOp::kFma),
            48 * 64 * 2);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx2, FlopsType::kInt16, FlopsOp::kFma),
            24 * 16 * 2);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kBf16, FlopsOp::kFma),
            48 * 32 * 2);
  // AMX: 4 tile products of 16 x 16 results, 64 int8 (32 bf16) products each, 2 ops a product.
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAmx, FlopsType::kInt8, FlopsOp::kFma),
            4 * 256 * 64 * 2);
  EXPECT_EQ(kernels::OpsPerIteration(FlopsIsa::kAmx, FlopsType::kBf16, FlopsOp::kFma),
            4 * 256 * 32 * 2);
  EXPECT_EQ(kernels::FindFlopsKernel(FlopsIsa::kAmx, FlopsType::kF32, FlopsOp::kFma), nullptr);
  EXPECT_EQ(kernels::FindFlopsKernel(FlopsIsa::kScalar, FlopsType::kInt8, FlopsOp::kFma), nullptr);
  EXPECT_EQ(kernels::FindFlopsKernel(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kFma), nullptr);
}

TEST(FlopsPeak, TableKnowsZenAndIntelAndRefusesToGuess) {
  std::string why;
  // Zen 5 Turin (family 1Ah model 02h): two 512-bit FMA pipes: 2 x 16 lanes x 2 = 64 f32.
  EXPECT_EQ(PeakOpsPerCycle("AuthenticAMD", 0x1A, 0x02, FlopsIsa::kAvx512, FlopsType::kF32,
                            FlopsOp::kFma, why),
            64.0);
  EXPECT_EQ(PeakOpsPerCycle("AuthenticAMD", 0x1A, 0x02, FlopsIsa::kScalar, FlopsType::kF64,
                            FlopsOp::kFma, why),
            4.0);
  // Zen 4 double-pumps 512-bit: one zmm FMA per cycle.
  EXPECT_EQ(PeakOpsPerCycle("AuthenticAMD", 0x19, 0x11, FlopsIsa::kAvx512, FlopsType::kF64,
                            FlopsOp::kFma, why),
            16.0);
  // Skylake-SP: one or two 512-bit units, not visible in cpuid: no guess.
  EXPECT_FALSE(PeakOpsPerCycle("GenuineIntel", 6, 0x55, FlopsIsa::kAvx512, FlopsType::kF64,
                               FlopsOp::kFma, why));
  EXPECT_NE(why.find("SKU"), std::string::npos);
  EXPECT_EQ(PeakOpsPerCycle("GenuineIntel", 6, 0x55, FlopsIsa::kAvx2, FlopsType::kF64,
                            FlopsOp::kFma, why),
            16.0);
  EXPECT_FALSE(PeakOpsPerCycle("GenuineIntel", 6, 0x01, FlopsIsa::kAvx2, FlopsType::kF64,
                               FlopsOp::kFma, why));
  EXPECT_NE(why.find("does not know"), std::string::npos);
  EXPECT_TRUE(IdentifyMicroarchitecture("HygonGenuine", 0x18, 0).name.empty());
}

using testing::RunSysbench;

using testing::ExpectUsageError;

TEST(FlopsCli, BadInputExitsTwoWithOneLine) {
  ExpectUsageError({"flops", "--dtype", "f128"}, "--dtype");
  ExpectUsageError({"flops", "--dtype", ""}, "--dtype");
  ExpectUsageError({"flops", "--op", "div"}, "--op");
  ExpectUsageError({"flops", "--isa", "avx9"}, "--isa");
  ExpectUsageError({"flops", "--isa", "all,sse"}, "'all' stands alone");
  ExpectUsageError({"flops", "--op", "mul+add,muladd"}, "more than once");
  ExpectUsageError({"--threads", "0", "flops"}, "--threads");
  ExpectUsageError({"--threads", "100000", "flops"}, "--threads");
  ExpectUsageError({"--threads", "1024", "flops"}, "--threads");
  ExpectUsageError({"flops", "--dtype", "int8", "--isa", "scalar"}, "no such instruction");
}

TEST(FlopsCli, RestrictedIsaRunsOnlyThatIsa) {
  const testing::CliRun run =
      RunSysbench({"--format", "json", "--quiet", "--quick", "--threads", "1", "flops", "--isa",
                   "scalar", "--dtype", "f64", "--op", "fma,muladd"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  int cases = 0;
  for (const auto& r : doc["results"]) {
    if (r["case"].get<std::string>().rfind("summary/", 0) == 0) continue;
    if (r["case"].get<std::string>().rfind("clock/", 0) == 0) continue;
    ++cases;
    EXPECT_EQ(r["params"]["isa"], "scalar");
    EXPECT_EQ(r["params"]["dtype"], "f64");
    EXPECT_EQ(r["params"]["threads"], "1");
  }
  EXPECT_EQ(cases, 2);
}

TEST(FlopsCli, TwoThreadsReportAggregateAndPerThreadFigures) {
  if (AllowedCpus().size() < 2) GTEST_SKIP() << "needs 2 CPUs";
  const testing::CliRun run =
      RunSysbench({"--format", "json", "--quiet", "--quick", "--threads", "2", "flops", "--isa",
                   "scalar", "--dtype", "f64", "--op", "mul+add"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_GE(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["case"], "mul+add/f64/scalar/threads=2");
  std::map<std::string, double> m;
  for (const auto& metric : doc["results"][0]["metrics"]) {
    if (metric["value"].is_number()) m[metric["name"]] = metric["value"].get<double>();
  }
  EXPECT_GT(m["gflops"], 0);
  EXPECT_DOUBLE_EQ(m["gflops_per_thread"], m["gflops"] / 2);
  EXPECT_GT(m["thread_gflops_min"], 0);
  EXPECT_GE(m["thread_gflops_max"], m["thread_gflops_min"]);
}

TEST(FlopsCli, MissingExtensionIsSkippedWithTheReasonNeverZero) {
  const testing::CliRun run = RunSysbench(
      {"--format", "json", "--quiet", "--quick", "--threads", "1", "flops", "--dtype", "f16"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_GE(doc["results"].size(), 1u);
  const auto& r = doc["results"][0];
  EXPECT_EQ(r["case"], "fma/f16/avx512/threads=1");
  if (DetectCpuFeatures().avx512_fp16) {
    EXPECT_FALSE(r.contains("skipped") && !r["skipped"].is_null());
  } else {
    EXPECT_NE(r["skipped"].get<std::string>().find("avx512_fp16"), std::string::npos);
  }
}

TEST(FlopsCli, PeaksComeFromMeasuredUnitsAndNeverReadAboveThePeak) {
  const testing::CliRun run =
      RunSysbench({"--format", "json", "--quiet", "--quick", "--threads", "1", "flops", "--isa",
                   "scalar,sse", "--dtype", "f64", "--op", "fma,add"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  int cases = 0;
  bool clock_summary = false;
  for (const auto& r : doc["results"]) {
    const std::string id = r["case"];
    std::map<std::string, nlohmann::json> m;
    for (const auto& metric : r["metrics"]) m[metric["name"]] = metric;
    if (id.rfind("clock/", 0) == 0) {
      clock_summary = true;
      EXPECT_TRUE(m.count("isa_clock_ghz") && m.count("scalar_clock_ghz") &&
                  m.count("clock_drop_pct"))
          << id;
      continue;
    }
    if (id.rfind("summary/", 0) == 0) continue;
    ++cases;
    ASSERT_TRUE(m.count("units")) << id;
    EXPECT_EQ(m["units"]["source"], "measured");
    EXPECT_GT(m["units"]["value"].get<double>(), 0) << id;
    EXPECT_EQ(m["peak_flop_per_cycle"]["source"], "computed");
    if (m.count("pct_of_peak")) {
      EXPECT_LE(m["pct_of_peak"]["value"].get<double>(), 102.0) << id;
    }
    if (m.count("isa_clock_ghz")) {
      EXPECT_TRUE(m.count("clock_drop_pct")) << id;
    }
    if (m.count("lookup_peak_flop_per_cycle")) {
      EXPECT_EQ(m["lookup_peak_flop_per_cycle"]["source"], "lookup");
    }
  }
  EXPECT_EQ(cases, 4);
  EXPECT_TRUE(clock_summary);
}

TEST(FlopsCli, MulAddMeasuresItsPartsAndPercentOfPeakHasNoDirection) {
  const testing::CliRun run =
      RunSysbench({"--format", "json", "--quiet", "--quick", "--threads", "1", "flops", "--isa",
                   "scalar", "--dtype", "f64", "--op", "mul+add"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_GE(doc["results"].size(), 1u);
  std::map<std::string, nlohmann::json> m;
  for (const auto& metric : doc["results"][0]["metrics"]) m[metric["name"]] = metric;
  // The multiply and the add alone, for the shared-port bound (MulAddUnits).
  for (const char* name : {"mul_units", "add_units"}) {
    ASSERT_TRUE(m.count(name)) << name;
    EXPECT_EQ(m[name]["source"], "measured");
    EXPECT_GT(m[name]["value"].get<double>(), 0) << name;
  }
  // A corrected peak moves pct_of_peak as much as a changed kernel: compare must not gate it.
  for (const char* name : {"pct_of_peak", "best_pct_of_peak"}) {
    if (m.count(name)) {
      EXPECT_TRUE(m[name]["better"].is_null()) << name;
    }
  }
  EXPECT_EQ(m["gflops"]["better"], "higher");
}

TEST(FlopsCli, AmxIsMeasuredWhereCpuidHasItAndSkippedWithTheReasonElsewhere) {
  const testing::CliRun run = RunSysbench({"--format", "json", "--quiet", "--quick", "--threads",
                                           "1", "flops", "--isa", "amx", "--dtype", "int8,bf16"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  int cases = 0;
  for (const auto& r : doc["results"]) {
    const std::string id = r["case"];
    if (id.rfind("clock/", 0) == 0) continue;
    ++cases;
    EXPECT_EQ(r["params"]["isa"], "amx");
    const bool has = r["params"]["dtype"] == "int8" ? DetectCpuFeatures().amx_int8
                                                    : DetectCpuFeatures().amx_bf16;
    if (has) {
      EXPECT_TRUE(!r.contains("skipped") || r["skipped"].is_null()) << id;
    } else {
      EXPECT_NE(r["skipped"].get<std::string>().find("amx"), std::string::npos) << id;
    }
  }
  EXPECT_EQ(cases, 2);
}

}  // namespace
}  // namespace sysbench
