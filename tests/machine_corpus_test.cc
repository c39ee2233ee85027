// Every detector against every recorded machine: each folder tests/data/machines/NAME holds the
// JSON runs of one machine (info, flops, cache-stride, latency, bandwidth, threads) and
// expect.json, what the detectors must find there (tests/data/machines/README.md). A new folder is
// a new set of test cases (listed by ctest once the test binary is rebuilt).
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "topics/cache_stride/detect.h"
#include "topics/flops/case_names.h"
#include "topics/flops/peak_check.h"
#include "topics/latency/levels.h"
#include "topics/latency/probe.h"

namespace sysbench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

fs::path MachinesDir() { return fs::path(SYSBENCH_TEST_DATA) / "machines"; }

std::vector<std::string> MachineNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(MachinesDir())) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in);
}

// The machine's runs of one command: every NAME*.json whose argv names that command.
std::vector<json> Runs(const std::string& machine, const std::string& command) {
  std::vector<json> runs;
  for (const auto& entry : fs::directory_iterator(MachinesDir() / machine)) {
    if (entry.path().extension() != ".json" || entry.path().filename() == "expect.json") continue;
    json doc = ReadJson(entry.path());
    if (!doc.contains("results")) continue;
    for (const auto& r : doc["results"]) {
      if (r.value("command", "") == command) {
        runs.push_back(std::move(doc));
        break;
      }
    }
  }
  return runs;
}

const json* Metric(const json& result, const std::string& name) {
  for (const auto& m : result["metrics"]) {
    if (m["name"] == name) return &m;
  }
  return nullptr;
}

bool CaseStartsWith(const json& result, const std::string& prefix) {
  return result["case"].get<std::string>().rfind(prefix, 0) == 0;
}

void ExpectWithin(double value, const json& range, const std::string& what) {
  ASSERT_TRUE(range.is_array() && range.size() == 2) << what;
  EXPECT_GE(value, range[0].get<double>()) << what;
  EXPECT_LE(value, range[1].get<double>()) << what;
}

class MachineCorpus : public testing::TestWithParam<std::string> {
 protected:
  json Expect() const { return ReadJson(MachinesDir() / GetParam() / "expect.json"); }
};

TEST_P(MachineCorpus, HasInfoAndExpectations) {
  EXPECT_TRUE(fs::exists(MachinesDir() / GetParam() / "info.json"));
  EXPECT_TRUE(fs::exists(MachinesDir() / GetParam() / "README.md"));
  const json expect = Expect();
  EXPECT_TRUE(expect.contains("line_bytes"));
}

TEST_P(MachineCorpus, StrideKneeIsThePrefetchUnit) {
  const json expect = Expect();
  const auto runs = Runs(GetParam(), "cache-stride");
  ASSERT_FALSE(runs.empty()) << "no cache-stride run recorded";
  for (const json& doc : runs) {
    std::vector<StridePoint> sequential;
    for (const auto& r : doc["results"]) {
      const std::string id = r["case"];
      if (!CaseStartsWith(r, "sequential/") || id.ends_with("/scalar")) continue;
      sequential.push_back({std::stoull(r["params"]["stride_bytes"].get<std::string>()),
                            (*Metric(r, "best_ns_per_pass"))["value"].get<double>()});
    }
    const LineDetection knee =
        DetectStrideKnee(sequential, expect["line_bytes"].get<std::uint64_t>());
    ASSERT_TRUE(knee.line_bytes) << knee.reason;
    ExpectWithin(static_cast<double>(*knee.line_bytes), expect["stride_knee_bytes"], "knee");
  }
}

TEST_P(MachineCorpus, CoherenceFindsTheLine) {
  const json expect = Expect();
  int curves = 0;
  for (const json& doc : Runs(GetParam(), "cache-stride")) {
    std::vector<CoherencePoint> points;
    for (const auto& r : doc["results"]) {
      if (!CaseStartsWith(r, "coherence/") || !Metric(r, "ns_per_update")) continue;
      points.push_back({std::stoull(r["params"]["distance_bytes"].get<std::string>()),
                        (*Metric(r, "ns_per_update"))["value"].get<double>(),
                        (*Metric(r, "trials"))["value"].get<int>()});
    }
    if (points.empty()) continue;  // recorded before the coherence curve existed
    ++curves;
    const LineDetection line = DetectCoherenceLine(points);
    ASSERT_TRUE(line.line_bytes) << line.reason;
    EXPECT_EQ(*line.line_bytes, expect["line_bytes"].get<std::uint64_t>());
  }
  if (curves == 0) GTEST_SKIP() << "no coherence curve recorded for " << GetParam();
}

TEST_P(MachineCorpus, LatencyLevelsAndTheLastLevelCache) {
  const json expect = Expect();
  const auto runs = Runs(GetParam(), "latency");
  ASSERT_FALSE(runs.empty()) << "no latency run recorded";
  for (const json& doc : runs) {
    std::vector<LatencyPoint> curve;
    for (const auto& r : doc["results"]) {
      if (!CaseStartsWith(r, "size=")) continue;
      curve.push_back({std::stoull(r["params"]["size_bytes"].get<std::string>()),
                       r["stats"]["min"].get<double>()});
    }
    // As the command and the probe run it: without the looked-up LLC, which may be a host's.
    const LatencyLevels levels = DetectLevels(curve, LevelOptions{});
    ASSERT_GE(levels.cache_bytes.size(), 2u);
    ExpectWithin(static_cast<double>(levels.cache_bytes[0]), expect["l1_bytes"], "L1");
    ExpectWithin(static_cast<double>(levels.cache_bytes[1]), expect["l2_bytes"], "L2");
    std::string reason;
    const std::uint64_t llc = LastLevelBytes(levels, &reason);
    ASSERT_GT(llc, 0u) << reason;
    ExpectWithin(static_cast<double>(llc), expect["llc_bytes"], "LLC");
    ASSERT_TRUE(levels.dram_ns);
    ExpectWithin(*levels.dram_ns, expect["dram_ns"], "DRAM ns");
    // The probe's stopping rule: it would have stopped inside the recorded sweep, past the LLC.
    std::size_t stop = 0;
    while (
        stop < curve.size() &&
        !ReachedMainMemory({curve.begin(), curve.begin() + static_cast<std::ptrdiff_t>(stop) + 1},
                           LevelOptions{}.min_dram_ns)) {
      ++stop;
    }
    ASSERT_LT(stop, curve.size());
    EXPECT_GT(curve[stop].size_bytes, llc);
  }
}

TEST_P(MachineCorpus, FlopsRunIsRecorded) { EXPECT_FALSE(Runs(GetParam(), "flops").empty()); }

// The units flops derives from a case's fastest runs at the clock under its ISA: recomputed here
// from the recorded rate (and, for mul+add, the recorded units of its parts) by the same pure
// functions, and held against the units the machine is known to have (expect.json's
// "flops_units", per case id). Runs recorded before flops measured its units are skipped.
TEST_P(MachineCorpus, FlopsUnitsFollowFromTheRecordedRates) {
  const json expect = Expect();
  const json known = expect.value("flops_units", json::object());
  int derived = 0;
  std::vector<std::string> unchecked;
  for (auto& [id, units] : known.items()) unchecked.push_back(id);
  for (const json& doc : Runs(GetParam(), "flops")) {
    for (const json& r : doc["results"]) {
      const std::string id = r["case"].get<std::string>();
      const auto parsed = ParseFlopsCaseId(id);
      const json* rate = Metric(r, "best_flop_per_isa_cycle");
      const json* recorded = Metric(r, "units");
      if (!parsed || rate == nullptr || recorded == nullptr) continue;
      const double per_unit = OpsPerUnitCycle(parsed->isa, parsed->type, parsed->op);
      const json* mul = Metric(r, "mul_units");
      const json* add = Metric(r, "add_units");
      const double units =
          mul != nullptr && add != nullptr
              ? MulAddUnits((*rate)["value"], per_unit, (*mul)["value"], (*add)["value"])
              : UnitsFromRate((*rate)["value"], per_unit);
      EXPECT_DOUBLE_EQ(units, (*recorded)["value"].get<double>()) << id;
      ++derived;
      if (known.contains(id)) {
        EXPECT_DOUBLE_EQ(units, known[id].get<double>()) << id << ": the machine's known units";
        unchecked.erase(std::remove(unchecked.begin(), unchecked.end(), id), unchecked.end());
      }
    }
  }
  if (derived == 0) GTEST_SKIP() << GetParam() << "'s flops run predates measured units";
  EXPECT_TRUE(unchecked.empty()) << "flops_units names a case the run lacks: " << unchecked.front();
}

// Test names from folder names: gtest allows only letters, digits and '_'.
std::string TestName(const testing::TestParamInfo<std::string>& param) {
  std::string name = param.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Recorded, MachineCorpus, testing::ValuesIn(MachineNames()), TestName);

}  // namespace
}  // namespace sysbench
