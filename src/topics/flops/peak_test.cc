// The measured-peak logic on fixed inputs: units from rates, the clock chain's arithmetic, the
// guard against a percentage above the peak, and the table/measurement disagreement note.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "topics/flops/case_names.h"
#include "topics/flops/isa_clock.h"
#include "topics/flops/peak_check.h"
#include "topics/flops/running_time.h"

namespace sysbench {
namespace {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsType;

TEST(FlopsUnits, OneUnitIsOneInstructionPerCycle) {
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAvx512, FlopsType::kF32, FlopsOp::kFma), 32.0);
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAvx512, FlopsType::kF64, FlopsOp::kMulAdd), 8.0);
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kScalar, FlopsType::kF64, FlopsOp::kAdd), 1.0);
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAvx512, FlopsType::kInt8, FlopsOp::kFma), 128.0);
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAvx512, FlopsType::kF16, FlopsOp::kFma), 64.0);
  // AMX: one 16 x 16 x 64 int8 tile product (32768 ops) every 16 cycles.
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAmx, FlopsType::kInt8, FlopsOp::kFma), 2048.0);
  EXPECT_EQ(OpsPerUnitCycle(FlopsIsa::kAmx, FlopsType::kBf16, FlopsOp::kFma), 1024.0);
}

TEST(FlopsUnits, UnitsFromRatesRoundToPipesOrToOneEveryKCycles) {
  // The xeon-amx-kvm figures: AVX-512 f32 FMA 59.4 FLOP/cycle at the scalar clock, 64 at the
  // AVX-512 clock; either way two 512-bit pipes (the table said one).
  EXPECT_EQ(UnitsFromRate(59.4, 32), 2.0);
  EXPECT_EQ(UnitsFromRate(64.0, 32), 2.0);
  EXPECT_EQ(UnitsFromRate(2.83, 1), 3.0);  // scalar mul+add: 3 ports take muls and adds
  EXPECT_EQ(UnitsFromRate(0.77 * 16, 16), 1.0);
  EXPECT_EQ(UnitsFromRate(29.8, 64), 0.5);  // VDPBF16PS: one every 2 cycles
  EXPECT_NEAR(UnitsFromRate(0.3, 1), 1.0 / 3, 1e-12);
  EXPECT_EQ(UnitsFromRate(0, 32), 0.0);
  EXPECT_EQ(UnitsFromRate(-1, 32), 0.0);
  EXPECT_EQ(UnitsFromRate(10, 0), 0.0);
}

TEST(FlopsUnits, MulAddUsesTheSharedPortBoundOnlyWhereTheWholeUnitsAreExceeded) {
  // VPMULLD zmm (1 per cycle) and VPADDD zmm (2 per cycle) on the same two ports: 4/3 per cycle.
  EXPECT_NEAR(MulAddUnits(1.33 * 16, 16, 1, 2), 4.0 / 3, 1e-12);
  EXPECT_NEAR(MulAddUnits(1.24 * 16, 16, 1, 2), 4.0 / 3, 1e-12);
  // PMULLD xmm (1) and PADDD xmm (3): the shared bound 1.5 is below the rate, so 2 whole units
  // stand (and the case reads 83%, which is the truth of the port binding).
  EXPECT_EQ(MulAddUnits(1.66 * 4, 4, 1, 3), 2.0);
  // Floats where the whole number fits: unchanged.
  EXPECT_EQ(MulAddUnits(2.0 * 16, 16, 2, 2), 2.0);
  EXPECT_EQ(MulAddUnits(2.83, 1, 2, 2), 3.0);
  // A rate far above even the shared bound keeps the whole units (and is then withheld).
  EXPECT_EQ(MulAddUnits(1.6 * 16, 16, 1, 2), 2.0);
  EXPECT_EQ(MulAddUnits(1.45 * 16, 16, 1, 2), 1.0);
  // Without the parts measured: the whole units.
  EXPECT_EQ(MulAddUnits(1.33 * 16, 16, 0, 2), 1.0);
}

TEST(FlopsRunningTime, TheShareIsCpuOverWallAndNeverAboveOne) {
  EXPECT_DOUBLE_EQ(ShareOfWall(0.5, 1.0), 0.5);
  EXPECT_DOUBLE_EQ(ShareOfWall(1.0001, 1.0), 1.0);  // the two clocks differ by a little
  EXPECT_DOUBLE_EQ(ShareOfWall(0, 1.0), 1.0);       // nothing to go by: no correction
  EXPECT_DOUBLE_EQ(ShareOfWall(0.5, 0), 1.0);
  // A busy loop runs on the CPU: some share, never more than the wall time.
  volatile std::uint64_t sink = 0;
  const RunningTime t = TimeRunning([&] {
    for (std::uint64_t i = 0; i < 2'000'000; i = i + 1) sink = sink + i;
  });
  EXPECT_GT(t.wall, 0);
  EXPECT_GT(t.share, 0);
  EXPECT_LE(t.share, 1.0);
  EXPECT_LE(t.Running(), t.wall);
}

TEST(FlopsUnits, FromTheFastestRunsAtTheClockUnderTheIsa) {
  using kernels::FlopsIsa;
  using kernels::FlopsOp;
  using kernels::FlopsType;
  // VPMULLD+VPADDD zmm at 1.33 instructions per cycle, 3.39 GHz: 768 operations per pass.
  const double hz = 3.39e9;
  const double ops =
      kernels::OpsPerIteration(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMulAdd);
  IsaClock clock;
  clock.hz = hz;
  clock.scalar_hz = 3.59e9;
  clock.plain_per_pass = ops / (1.33 * 16 * hz);
  MulAddParts parts;
  parts.mul_pass_seconds = ops / (16 * hz);  // one VPMULLD zmm per cycle
  parts.add_pass_seconds = ops / (32 * hz);  // two VPADDD zmm per cycle
  FastUnits fast = UnitsFromFastestRuns(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMulAdd, 1,
                                        1, clock, parts);
  EXPECT_NEAR(fast.best_per_cycle, 1.33 * 16, 1e-9);
  EXPECT_EQ(fast.mul_units, 1.0);
  EXPECT_EQ(fast.add_units, 2.0);
  EXPECT_NEAR(fast.units, 4.0 / 3, 1e-12);
  // Two threads on one core (SMT siblings) share its pipes: the same rate per core.
  clock.plain_per_pass *= 2;
  parts.mul_pass_seconds *= 2;
  parts.add_pass_seconds *= 2;
  fast = UnitsFromFastestRuns(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMulAdd, 2, 1, clock,
                              parts);
  EXPECT_NEAR(fast.units, 4.0 / 3, 1e-12);
  // Without the chain's clock the scalar clock serves; without any clock, nothing.
  clock.hz = 0;
  EXPECT_GT(
      UnitsFromFastestRuns(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMul, 1, 1, clock, {})
          .units,
      0);
  clock.scalar_hz = 0;
  EXPECT_EQ(
      UnitsFromFastestRuns(FlopsIsa::kAvx512, FlopsType::kInt32, FlopsOp::kMul, 1, 1, clock, {})
          .units,
      0);
}

TEST(FlopsClock, TheChainCountsCyclesOnlyWhereItBinds) {
  EXPECT_TRUE(ChainBinds(4e-9, 3e-9));
  EXPECT_TRUE(ChainBinds(1.3e-9, 1e-9));
  EXPECT_FALSE(ChainBinds(1.2e-9, 1e-9));
  EXPECT_FALSE(ChainBinds(1e-9, 0));
  // 48 adds per pass in 12.5 ns: 3.84 GHz.
  EXPECT_DOUBLE_EQ(ChainClockHz(48, 12.5e-9), 48 / 12.5e-9);
  EXPECT_EQ(ChainClockHz(48, 0), 0.0);
}

TEST(FlopsPeakGuard, AboveThePeakIsAWrongPeakNever184Percent) {
  std::string problem;
  const auto ok = PercentOfPeak(95, 100, problem);
  ASSERT_TRUE(ok);
  EXPECT_DOUBLE_EQ(*ok, 95.0);
  EXPECT_TRUE(problem.empty());
  ASSERT_TRUE(PercentOfPeak(101.9, 100, problem));  // noise
  EXPECT_FALSE(PercentOfPeak(184, 100, problem));
  EXPECT_NE(problem.find("184.0%"), std::string::npos);
  EXPECT_NE(problem.find("peak"), std::string::npos);
  EXPECT_NE(problem.find("wrong"), std::string::npos);
  EXPECT_FALSE(PercentOfPeak(10, 0, problem));
}

TEST(FlopsPeakNote, OneNoteNamesTheTableCpuAndTheCases) {
  EXPECT_EQ(DisagreementNote({}, "Rocket Lake", 6, 167), "");
  const std::string note = DisagreementNote({{"fma/f32/avx512/threads=1", 1, 2},
                                             {"fma/f64/avx512/threads=1", 1, 2},
                                             {"mul/f32/avx512/threads=1", 1, 2},
                                             {"add/f32/avx512/threads=1", 1, 2}},
                                            "Rocket Lake", 6, 167);
  EXPECT_EQ(note.rfind("flops: ", 0), 0u);
  EXPECT_NE(note.find("Rocket Lake"), std::string::npos);
  EXPECT_NE(note.find("model 167"), std::string::npos);
  EXPECT_NE(note.find("4 case(s)"), std::string::npos);
  EXPECT_NE(note.find("fma/f32/avx512/threads=1 table 1, measured 2"), std::string::npos);
  EXPECT_NE(note.find("and 1 more"), std::string::npos);
  EXPECT_NE(note.find("hypervisor"), std::string::npos);
  EXPECT_EQ(note.find('\n'), std::string::npos);  // one line
}

TEST(FlopsCaseIds, ParseWhatTheCommandWritesAndNothingElse) {
  using kernels::FlopsIsa;
  using kernels::FlopsOp;
  using kernels::FlopsType;
  const auto id = ParseFlopsCaseId("mul+add/int32/avx512/threads=16");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->op, FlopsOp::kMulAdd);
  EXPECT_EQ(id->type, FlopsType::kInt32);
  EXPECT_EQ(id->isa, FlopsIsa::kAvx512);
  EXPECT_EQ(id->threads, 16);
  EXPECT_EQ(FlopsCaseName(*id), "mul+add/int32/avx512/threads=16");
  for (const char* other :
       {"summary/fma/f64/threads=1", "clock/amx/threads=1", "fma/f64/avx512",
        "fma/f64/avx512/threads=", "fma/f64/avx512/threads=0", "fma/f64/avx512/threads=2x",
        "fma/f64/avx9/threads=1", "fma/f64/avx512/threads=1/extra", ""}) {
    EXPECT_FALSE(ParseFlopsCaseId(other).has_value()) << other;
  }
}

}  // namespace
}  // namespace sysbench
