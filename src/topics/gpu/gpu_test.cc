// The gpu topic without a GPU (what CI has): peak arithmetic from looked-up rates, the link and
// memory rates, option checks, and every case skipped with its reason where no device answers.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "topics/gpu/peaks.h"

namespace sysbench::gpu {
namespace {

using sysbench::testing::CliRun;
using sysbench::testing::ExpectUsageError;
using sysbench::testing::RunSysbench;

TEST(GpuPeaks, HopperRatesPerSmAndCycle) {
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kF64Fma), 128);
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kF32Fma), 256);
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kF16Fma), 512);
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kBf16Wgmma), 4096);
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kF16Mma), 4096);  // the same units, another instruction
  EXPECT_EQ(OpsPerSmCycle(9, 0, GpuOp::kInt8Wgmma), 8192);
  // An H200 (132 SMs) at 1980 MHz: the datasheet's 67 TFLOP/s f32 and about 1070 dense bf16.
  EXPECT_NEAR(132 * *OpsPerSmCycle(9, 0, GpuOp::kF32Fma) * 1980e6 / 1e12, 66.9, 0.1);
  EXPECT_NEAR(132 * *OpsPerSmCycle(9, 0, GpuOp::kBf16Wgmma) * 1980e6 / 1e12, 1070.5, 0.1);
}

TEST(GpuPeaks, NoRateIsInventedForUnknownDevicesOrUnits) {
  EXPECT_FALSE(OpsPerSmCycle(8, 9, GpuOp::kF32Fma));
  EXPECT_FALSE(OpsPerSmCycle(12, 0, GpuOp::kBf16Wgmma));
  EXPECT_FALSE(OpsPerSmCycle(9, 0, GpuOp::kInt8Dp4a));
  EXPECT_FALSE(OpsPerSmCycle(7, 0, GpuOp::kInt8Mma));
}

TEST(GpuPeaks, MemoryRateFromClockAndBus) {
  // H200: HBM3e at 3201 MHz on a 6144-bit bus, two transfers per clock.
  EXPECT_NEAR(MemoryGbps(3201, 6144), 4916.7, 0.1);
  EXPECT_EQ(MemoryGbps(0, 6144), 0);
  EXPECT_EQ(MemoryGbps(3201, 0), 0);
}

TEST(GpuPeaks, PcieRatesAfterEncoding) {
  EXPECT_NEAR(*PcieGbps(5, 16), 63.02, 0.01);
  EXPECT_NEAR(*PcieGbps(4, 16), 31.51, 0.01);
  EXPECT_NEAR(*PcieGbps(2, 8), 4.0, 1e-9);
  EXPECT_FALSE(PcieGbps(7, 16));
  EXPECT_FALSE(PcieGbps(5, 0));
  EXPECT_EQ(PcieGenerationFromSpeed("32.0 GT/s PCIe"), 5);
  EXPECT_EQ(PcieGenerationFromSpeed("2.5 GT/s PCIe"), 1);
  EXPECT_EQ(PcieGenerationFromSpeed("16 GT/s"), 4);
  EXPECT_FALSE(PcieGenerationFromSpeed("Unknown"));
  EXPECT_FALSE(PcieGenerationFromSpeed("12.0 GT/s"));
}

TEST(GpuPeaks, EveryOperationHasNamesAndADtype) {
  EXPECT_EQ(AllGpuOps().size(), 12u);
  for (GpuOp op : AllGpuOps()) {
    const OpNames n = NamesOf(op);
    EXPECT_NE(n.op, "?");
    EXPECT_FALSE(n.instruction.empty());
  }
  EXPECT_EQ(OpsOfDtypes({"int8"}).size(), 3u);  // dp4a, mma, wgmma
  EXPECT_EQ(OpsOfDtypes({"f64"}).size(), 1u);
}

TEST(GpuCli, BadOptionsFailCleanly) {
  ExpectUsageError({"gpu", "--part", "bogus"}, "--part");
  ExpectUsageError({"gpu", "--dtype", "int16"}, "--dtype");
  ExpectUsageError({"flops", "--device", "tpu"}, "--device");
}

// Runs where no device answers (CI, a laptop) skip every case with the reason; where one does, the
// cases run and carry their checks. Either way the document parses and names the devices.
TEST(GpuCli, EveryCaseRunsOrSaysWhyNot) {
  const CliRun run = RunSysbench(
      {"--quick", "--quiet", "--format", "json", "gpu", "--part", "flops", "--dtype", "f32"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_TRUE(doc["context"].contains("gpus"));
  ASSERT_GE(doc["context"]["gpus"].size(), 1u);
  const std::string first = doc["context"]["gpus"][0];
  const bool none = first.rfind("none: ", 0) == 0;
  ASSERT_GE(doc["results"].size(), 2u);  // the facts, then fma/f32
  for (const auto& r : doc["results"]) {
    EXPECT_EQ(r["command"], "gpu");
    if (none) {
      ASSERT_TRUE(r.contains("skipped")) << r.dump();
      EXPECT_EQ(first, "none: " + r["skipped"].get<std::string>());
    }
  }
}

TEST(GpuCli, FlopsOnTheGpuCarriesTheDevicesInItsContext) {
  const CliRun run = RunSysbench(
      {"--quick", "--quiet", "--format", "json", "flops", "--device", "gpu", "--dtype", "f64"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_TRUE(doc["context"].contains("gpus"));
  ASSERT_GE(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["command"], "flops");
  EXPECT_EQ(doc["results"][0]["case"].get<std::string>().rfind("fma/f64/cores/gpu=", 0), 0u);
}

// The recorded H200 run (tests/data/machines/h200-host/gpu.json): every peak and percentage it
// printed follows from the device's looked-up facts, the table and the measured clock, and the
// CUDA-core and wgmma cases sat within the truth bounds.
TEST(GpuRecorded, PeaksFollowFromTheRecordedDevice) {
  std::ifstream in(std::string(SYSBENCH_TEST_DATA) + "/machines/h200-host/gpu.json");
  ASSERT_TRUE(in.good());
  const auto doc = nlohmann::json::parse(in);
  const auto value = [](const nlohmann::json& r, const std::string& name) {
    for (const auto& m : r["metrics"]) {
      if (m["name"] == name) return m["value"];
    }
    return nlohmann::json();
  };
  int sm_count = 0, cc_major = 0, cc_minor = 0;
  int checked = 0;
  for (const auto& r : doc["results"]) {
    const std::string id = r["case"];
    if (id == "device/gpu=0") {
      sm_count = value(r, "sm_count").get<int>();
      const std::string cc = value(r, "compute_capability");
      cc_major = cc[0] - '0';
      cc_minor = cc[2] - '0';
      EXPECT_NEAR(value(r, "memory_gbps").get<double>(),
                  MemoryGbps(value(r, "memory_clock_mhz"), value(r, "memory_bus_bits")), 1e-6);
      continue;
    }
    if (value(r, "lookup_ops_per_sm_cycle").is_null()) continue;
    GpuOp op{};
    for (GpuOp candidate : AllGpuOps()) {
      const OpNames n = NamesOf(candidate);
      if (id.rfind(std::string(n.op) + "/" + std::string(n.dtype) + "/", 0) == 0) op = candidate;
    }
    const double table = value(r, "lookup_ops_per_sm_cycle");
    EXPECT_EQ(OpsPerSmCycle(cc_major, cc_minor, op), table) << id;
    const double clock_mhz = value(r, "sm_clock_mhz");
    EXPECT_NEAR(value(r, "peak_gflops").get<double>(), sm_count * table * clock_mhz / 1e3,
                1e-6 * sm_count * table * clock_mhz)
        << id;
    const double pct = value(r, "pct_of_peak");
    EXPECT_NEAR(pct, 100 * value(r, "ops_per_sm_cycle").get<double>() / table, 1e-9) << id;
    EXPECT_EQ(value(r, "wrong_values"), 0) << id;
    if (id.rfind("mma/", 0) != 0) {  // mma.sync on Hopper: 64% (docs/gpu.md)
      EXPECT_GE(pct, 85) << id;
      EXPECT_LE(pct, 102) << id;
    }
    ++checked;
  }
  EXPECT_EQ(sm_count, 132);
  EXPECT_EQ(checked, 11);  // every case but dp4a, which has no published rate
}

}  // namespace
}  // namespace sysbench::gpu
