// layout: kernels against plain loops, the string stores round-trip (nulls included), bad input.
#include "topics/layout/kernels/layout.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cli_test_util.h"

namespace sysbench {
namespace {

TEST(LayoutKernels, MatrixSumsAndTransposeMatchPlainLoops) {
  for (std::size_t n : {1u, 3u, 4u, 33u, 64u, 100u}) {
    SCOPED_TRACE(n);
    std::vector<double> m(n * n), t(n * n);
    double want = 0;
    for (std::size_t i = 0; i < m.size(); ++i) {
      m[i] = static_cast<double>(i % 17);  // small integers: every order of adds is exact
      want += m[i];
    }
    EXPECT_EQ(kernels::SumByRows(m.data(), n), want);
    EXPECT_EQ(kernels::SumByColumns(m.data(), n), want);
    kernels::Transpose(m.data(), t.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) ASSERT_EQ(t[j * n + i], m[i * n + j]);
    }
  }
}

TEST(LayoutKernels, AosAndSoaSumTheSameField) {
  const std::size_t n = 1003;
  std::vector<kernels::Particle> aos(n);
  std::vector<double> mass(n);
  double want = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mass[i] = static_cast<double>(i % 11);
    aos[i] = kernels::Particle{1, 2, 3, 4, 5, 6, mass[i], static_cast<std::int64_t>(i)};
    want += mass[i];
  }
  EXPECT_EQ(sizeof(kernels::Particle), 64u);
  EXPECT_EQ(kernels::SumMassAos(aos.data(), n), want);
  EXPECT_EQ(kernels::SumMassSoa(mass.data(), n), want);
}

TEST(LayoutStrings, ArrowRoundTripsStringsAndNulls) {
  const std::vector<std::optional<std::string>> values = {
      "", std::nullopt, "a", "hello", std::nullopt, std::string(40, 'x'), "z", "", "end"};
  const kernels::ArrowStrings arrow(values);
  ASSERT_EQ(arrow.Size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(arrow.IsNull(i), !values[i].has_value());
    EXPECT_EQ(arrow.View(i), values[i].value_or(""));
    EXPECT_EQ(arrow.Length(i), values[i].value_or("").size());
  }
  // The buffers as Arrow lays them out: bit i of the bitmap, n + 1 offsets, data packed.
  EXPECT_EQ(arrow.Validity().size(), 2u);
  EXPECT_EQ(arrow.Validity()[0], 0b11101101);
  EXPECT_EQ(arrow.Validity()[1], 0b1);
  EXPECT_EQ(arrow.Offsets().size(), values.size() + 1);
  EXPECT_EQ(arrow.Offsets().front(), 0);
  EXPECT_EQ(static_cast<std::size_t>(arrow.Offsets().back()), arrow.Data().size());
  EXPECT_EQ(arrow.Data().size(), 1u + 5 + 40 + 1 + 3);
  EXPECT_EQ(arrow.Bytes(), 64u + 64 + 64);
}

TEST(LayoutStrings, PointerAndInlineStores) {
  const std::vector<std::optional<std::string>> values = {"abc", std::nullopt, "", "0123456789"};
  const kernels::PointerStrings pointer(values);
  const kernels::InlineStrings slots(values, 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(pointer.IsNull(i), !values[i].has_value());
    EXPECT_EQ(pointer.View(i), values[i].value_or(""));
    EXPECT_FALSE(slots.IsNull(i));  // inline slots cannot say null
  }
  EXPECT_EQ(slots.View(0), "abc");
  EXPECT_EQ(slots.View(1), "");
  EXPECT_EQ(slots.View(3), "01234567");  // cut to the slot width
  EXPECT_EQ(slots.Length(3), 8u);
  EXPECT_EQ(slots.Truncated(), 1u);
  EXPECT_EQ(slots.Bytes(), 4u * 8);
  EXPECT_GE(pointer.Bytes(), 4u * sizeof(void*) + 3 * sizeof(std::string));
}

TEST(LayoutStrings, OperationsAgreeAcrossStores) {
  const auto values = kernels::MakeStrings(5000, 32, 10, 9);
  std::uint64_t lengths = 0, matches = 0, nulls = 0;
  for (const auto& v : values) {
    nulls += !v.has_value();
    if (!v) continue;
    lengths += v->size();
    matches += v->find('z') != std::string::npos;
  }
  EXPECT_GT(nulls, 300u);
  EXPECT_LT(nulls, 700u);
  std::vector<std::uint32_t> indices = {0, 4999, 17, 17, 2500};
  std::uint64_t read = 0, read_lengths = 0;
  for (std::uint32_t i : indices) {
    for (char c : values[i].value_or("")) read += static_cast<unsigned char>(c);
    read_lengths += values[i].value_or("").size();
  }
  const kernels::PointerStrings pointer(values);
  const kernels::InlineStrings slots(values, 32);
  const kernels::ArrowStrings arrow(values);
  EXPECT_EQ(slots.Truncated(), 0u);
  EXPECT_EQ(kernels::ScanSumLengths(pointer), lengths);
  EXPECT_EQ(kernels::ScanSumLengths(slots), lengths);
  EXPECT_EQ(kernels::ScanSumLengths(arrow), lengths);
  EXPECT_EQ(kernels::ScanCountMatches(pointer, 'z'), matches);
  EXPECT_EQ(kernels::ScanCountMatches(slots, 'z'), matches);
  EXPECT_EQ(kernels::ScanCountMatches(arrow, 'z'), matches);
  EXPECT_EQ(kernels::RandomRead(pointer, indices), read);
  EXPECT_EQ(kernels::RandomRead(slots, indices), read);
  EXPECT_EQ(kernels::RandomRead(arrow, indices), read);
  EXPECT_EQ(kernels::RandomLength(pointer, indices), read_lengths);
  EXPECT_EQ(kernels::RandomLength(slots, indices), read_lengths);
  EXPECT_EQ(kernels::RandomLength(arrow, indices), read_lengths);
}

using testing::ExpectUsageError;

TEST(LayoutCli, BadInputExitsTwo) {
  for (const char* size : {"0", "-5", "abc", "1e40", "10P", "1T", "16K,-1"}) {
    ExpectUsageError({"layout", "--size", size}, "--size");
  }
  ExpectUsageError({"layout", "--scenario", "diagonal"}, "--scenario");
  ExpectUsageError({"layout", "--strings", "0"}, "--strings");
  ExpectUsageError({"layout", "--strings", "many"}, "--strings");
}

TEST(LayoutCli, SmallRunEmitsEveryScenario) {
  const testing::CliRun run = testing::RunSysbench(
      {"-q", "--format", "json", "--quick", "--repetitions", "2", "--min-time", "0.001", "--warmup",
       "0", "layout", "--size", "16K", "--strings", "2000"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto json = nlohmann::json::parse(run.out);
  std::set<std::string> scenarios;
  int strings = 0;
  for (const auto& r : json["results"]) {
    const std::string id = r["case"];
    scenarios.insert(id.substr(0, id.find('/')));
    strings += id.rfind("strings/", 0) == 0;
  }
  EXPECT_EQ(scenarios, (std::set<std::string>{"rows-vs-cols", "strings", "aos-vs-soa"}));
  EXPECT_EQ(strings, 12);  // three stores x four operations
}

}  // namespace
}  // namespace sysbench
