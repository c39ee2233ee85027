// `sysbench serialize`: varint and zigzag round trips at the edges, the exact bytes on the wire,
// malformed input rejected without reading past the end, 3-byte integers, and bad input (exit 2).
#include <gtest/gtest.h>

#include <cstring>
#include <limits>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>

#include "cli_test_util.h"
#include "topics/serialize/kernels/serialize_codec.h"

namespace sysbench::testing {
namespace {

namespace k = kernels;

std::vector<std::uint8_t> Encode(std::uint64_t v) {
  std::vector<std::uint8_t> out(k::kMaxVarintBytes);
  out.resize(k::EncodeVarint(v, out.data()));
  return out;
}

TEST(Varint, RoundTripsAtTheEdges) {
  const std::uint64_t edges[] = {0,
                                 1,
                                 127,
                                 128,
                                 300,
                                 16383,
                                 16384,
                                 (std::uint64_t{1} << 32) - 1,
                                 std::uint64_t{1} << 32,
                                 std::uint64_t{1} << 63,
                                 std::numeric_limits<std::uint64_t>::max()};
  for (std::uint64_t v : edges) {
    const std::vector<std::uint8_t> bytes = Encode(v);
    EXPECT_EQ(bytes.size(), k::VarintSize(v)) << v;
    // Decode from an exact-size heap buffer, so ASan catches any read past the end.
    auto exact = std::make_unique<std::uint8_t[]>(bytes.size());
    std::memcpy(exact.get(), bytes.data(), bytes.size());
    const k::VarintResult r = k::DecodeVarint(exact.get(), bytes.size());
    EXPECT_EQ(r.status, k::DecodeStatus::kOk) << v;
    EXPECT_EQ(r.value, v);
    EXPECT_EQ(r.length, bytes.size());
  }
  EXPECT_EQ(Encode(0), (std::vector<std::uint8_t>{0x00}));
  EXPECT_EQ(Encode(127), (std::vector<std::uint8_t>{0x7f}));
  EXPECT_EQ(Encode(128), (std::vector<std::uint8_t>{0x80, 0x01}));
  EXPECT_EQ(Encode(300), (std::vector<std::uint8_t>{0xac, 0x02}));
  EXPECT_EQ(Encode((std::uint64_t{1} << 32) - 1),
            (std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0xff, 0x0f}));
  EXPECT_EQ(
      Encode(std::uint64_t{1} << 63),
      (std::vector<std::uint8_t>{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));
  EXPECT_EQ(
      Encode(std::numeric_limits<std::uint64_t>::max()),
      (std::vector<std::uint8_t>{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}));
}

TEST(Varint, ZigZagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(k::ZigZagEncode(0), 0u);
  EXPECT_EQ(k::ZigZagEncode(-1), 1u);
  EXPECT_EQ(k::ZigZagEncode(1), 2u);
  EXPECT_EQ(k::ZigZagEncode(-2), 3u);
  EXPECT_EQ(k::ZigZagEncode(-64), 127u);
  EXPECT_EQ(k::ZigZagEncode(std::numeric_limits<std::int64_t>::max()),
            std::numeric_limits<std::uint64_t>::max() - 1);
  EXPECT_EQ(k::ZigZagEncode(std::numeric_limits<std::int64_t>::min()),
            std::numeric_limits<std::uint64_t>::max());
  const std::int64_t values[] = {0,
                                 -1,
                                 1,
                                 -64,
                                 63,
                                 -65,
                                 std::numeric_limits<std::int32_t>::min(),
                                 std::numeric_limits<std::int64_t>::min(),
                                 std::numeric_limits<std::int64_t>::max()};
  std::uint8_t wire[sizeof(values) / sizeof(values[0]) * k::kMaxVarintBytes];
  const std::size_t n = sizeof(values) / sizeof(values[0]);
  const std::size_t bytes = k::EncodeZigZagArray(values, n, wire);
  std::int64_t back[n];
  const k::BulkResult r = k::DecodeZigZagArray(wire, bytes, n, back);
  ASSERT_EQ(r.status, k::DecodeStatus::kOk);
  EXPECT_EQ(r.bytes, bytes);
  for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(back[i], values[i]);
  EXPECT_EQ(wire[0], 0x00);
  EXPECT_EQ(wire[1], 0x01);  // -1 takes one byte, not ten
}

TEST(Varint, BulkEncoderWritesTheSameBytesAsOneAtATime) {
  // Groups of eight take different paths (all small, long branchless, short loop): mix them.
  std::vector<std::uint64_t> values;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 64; ++i) {
    const int kind = (i / 8) % 4;
    const std::uint64_t r = rng();
    values.push_back(kind == 0 ? r % 128 : kind == 1 ? r : kind == 2 ? r >> 40 : r >> (r % 64));
  }
  values.push_back(std::numeric_limits<std::uint64_t>::max());
  values.push_back(std::uint64_t{1} << 63);
  values.push_back(std::uint64_t{1} << 35);
  values.push_back((std::uint64_t{1} << 35) - 1);
  std::vector<std::uint8_t> expected;
  for (std::uint64_t v : values) {
    const std::vector<std::uint8_t> one = Encode(v);
    expected.insert(expected.end(), one.begin(), one.end());
  }
  std::vector<std::uint8_t> wire(values.size() * k::kMaxVarintBytes);
  wire.resize(k::EncodeVarintArray(values.data(), values.size(), wire.data()));
  EXPECT_EQ(wire, expected);
}

TEST(Varint, BulkRoundTripOfRandomValues) {
  std::mt19937_64 rng(7);
  std::vector<std::uint64_t> values(5000);
  for (auto& v : values) v = rng() >> (rng() % 64);
  std::vector<std::uint8_t> wire(values.size() * k::kMaxVarintBytes);
  const std::size_t bytes = k::EncodeVarintArray(values.data(), values.size(), wire.data());
  std::vector<std::uint64_t> back(values.size());
  // An exact-size copy: the fast path must hand over to the checked one near the end.
  std::vector<std::uint8_t> exact(wire.begin(), wire.begin() + static_cast<std::ptrdiff_t>(bytes));
  const k::BulkResult r =
      k::DecodeVarintArray(exact.data(), exact.size(), values.size(), back.data());
  ASSERT_EQ(r.status, k::DecodeStatus::kOk);
  EXPECT_EQ(r.bytes, bytes);
  EXPECT_EQ(back, values);
  std::uint64_t sum = 0;
  for (auto v : values) sum += v;
  EXPECT_EQ(r.checksum, sum);
}

TEST(Varint, MalformedInputIsRejected) {
  std::uint8_t eleven[11];
  std::memset(eleven, 0x80, sizeof(eleven));
  eleven[10] = 0x00;
  EXPECT_EQ(k::DecodeVarint(eleven, sizeof(eleven)).status, k::DecodeStatus::kTooLong);
  // Ten bytes whose last carries bits beyond bit 63.
  std::uint8_t overflow[10];
  std::memset(overflow, 0xff, sizeof(overflow));
  overflow[9] = 0x02;
  EXPECT_EQ(k::DecodeVarint(overflow, sizeof(overflow)).status, k::DecodeStatus::kTooLong);
  // Truncated: every prefix of a long varint, from exact-size heap buffers (ASan checks reads).
  const std::vector<std::uint8_t> full = Encode(std::numeric_limits<std::uint64_t>::max());
  for (std::size_t n = 0; n < full.size(); ++n) {
    auto prefix = std::make_unique<std::uint8_t[]>(n + 1);
    std::memcpy(prefix.get(), full.data(), n);
    EXPECT_EQ(k::DecodeVarint(prefix.get(), n).status, k::DecodeStatus::kTruncated) << n;
    std::uint64_t out;
    EXPECT_EQ(k::DecodeVarintArray(prefix.get(), n, 1, &out).status, k::DecodeStatus::kTruncated);
  }
  // Too few values for the count.
  std::uint8_t two[2] = {1, 2};
  std::uint64_t out[3];
  const k::BulkResult r = k::DecodeVarintArray(two, 2, 3, out);
  EXPECT_EQ(r.status, k::DecodeStatus::kTruncated);
  EXPECT_EQ(r.values, 2u);
  // The fast path (>= 10 bytes left) also rejects an overlong value.
  std::uint8_t long_run[20];
  std::memset(long_run, 0xff, sizeof(long_run));
  EXPECT_EQ(k::DecodeVarintArray(long_run, sizeof(long_run), 1, out).status,
            k::DecodeStatus::kTooLong);
}

TEST(Fixed, BytesAreTheSameOnAnyCpu) {
  const std::uint64_t v = 0x0102030405060708;
  std::uint8_t buf[8];
  k::EncodeFixedArray(&v, 1, 8, false, buf);
  EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + 8),
            (std::vector<std::uint8_t>{8, 7, 6, 5, 4, 3, 2, 1}));
  k::EncodeFixedArray(&v, 1, 8, true, buf);
  EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + 8),
            (std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6, 7, 8}));
  k::EncodeFixedArray(&v, 1, 4, true, buf);
  EXPECT_EQ(std::vector<std::uint8_t>(buf, buf + 4), (std::vector<std::uint8_t>{5, 6, 7, 8}));
  std::uint64_t back;
  EXPECT_EQ(k::DecodeFixedArray(buf, 4, 1, 4, true, &back).status, k::DecodeStatus::kOk);
  EXPECT_EQ(back, 0x05060708u);
  EXPECT_EQ(k::DecodeFixedArray(buf, 3, 1, 4, true, &back).status, k::DecodeStatus::kTruncated);
}

TEST(Int24, PackUnpackAndSum) {
  const std::int32_t values[] = {0, 1, -1, k::kInt24Min, k::kInt24Max, 123456, -654321};
  const std::size_t n = sizeof(values) / sizeof(values[0]);
  std::uint8_t packed[3 * n];
  EXPECT_EQ(k::PackInt24(values, n, packed), 3 * n);
  EXPECT_EQ(packed[3], 1);  // little-endian
  EXPECT_EQ(packed[6], 0xff);
  std::int32_t back[n];
  const k::BulkResult r = k::UnpackInt24(packed, sizeof(packed), n, back);
  ASSERT_EQ(r.status, k::DecodeStatus::kOk);
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(back[i], values[i]);
    sum += values[i];
  }
  EXPECT_EQ(k::SumPackedInt24(packed, n), sum);
  EXPECT_EQ(k::SumInt32(values, n), sum);
  EXPECT_EQ(k::UnpackInt24(packed, sizeof(packed) - 1, n, back).status,
            k::DecodeStatus::kTruncated);
}

TEST(SerializeCli, QuickRunReportsEveryCodec) {
  const CliRun run =
      RunSysbench({"--format", "json", "--quick", "--quiet", "serialize", "--values", "1024"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  std::map<std::string, double> bytes_per_value;
  std::map<std::string, std::string> facts;
  for (const auto& r : doc["results"]) {
    for (const auto& m : r["metrics"]) {
      const std::string key = r["case"].get<std::string>() + ":" + m["name"].get<std::string>();
      if (m["value"].is_number()) bytes_per_value[key] = m["value"].get<double>();
      if (m["value"].is_string()) facts[key] = m["value"].get<std::string>();
    }
  }
  EXPECT_EQ(bytes_per_value["varint/small/encode:bytes_per_value"], 1.0);
  EXPECT_EQ(bytes_per_value["zigzag/small/encode:bytes_per_value"], 1.0);
  EXPECT_EQ(bytes_per_value["fixed/u32/decode:bytes_per_value"], 4.0);
  EXPECT_EQ(bytes_per_value["fixed_be/u64/decode:bytes_per_value"], 8.0);
  EXPECT_GT(bytes_per_value["varint/u64/decode:bytes_per_value"], 9.0);
  EXPECT_EQ(bytes_per_value["int24/i24/sum:bytes_per_value"], 3.0);
  EXPECT_EQ(bytes_per_value["int32/i24/sum:bytes_per_value"], 4.0);
  EXPECT_EQ(bytes_per_value["int24/i24/sum:memory_saved_pct"], 25.0);
  EXPECT_GT(bytes_per_value["varint/u32/encode:values_per_s"], 0.0);
  EXPECT_EQ(facts["check/byte-order:same_bytes_on_any_cpu"], "yes");
  EXPECT_EQ(facts["check/malformed:overlong_rejected"], "yes");
  EXPECT_EQ(facts["check/malformed:truncated_rejected"], "yes");
}

TEST(SerializeCli, DecodeHexShowsValuesOrTheFault) {
  const CliRun ok = RunSysbench(
      {"--format", "tsv", "--quiet", "serialize", "--decode-hex", "ac 02 00 ff ff ff ff 0f"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("300 0 4294967295"), std::string::npos) << ok.out;
  const CliRun cut = RunSysbench({"serialize", "--decode-hex", "ac 02 80"});
  EXPECT_EQ(cut.code, 2);
  EXPECT_NE(cut.err.find("varint 2 at byte 2 is malformed (truncated"), std::string::npos)
      << cut.err;
  const CliRun too_long =
      RunSysbench({"serialize", "--decode-hex", "ff ff ff ff ff ff ff ff ff ff 01"});
  EXPECT_EQ(too_long.code, 2);
  EXPECT_NE(too_long.err.find("too long"), std::string::npos) << too_long.err;
}

using testing::ExpectUsageError;

TEST(SerializeCli, BadInputExitsTwoWithOneLine) {
  ExpectUsageError({"serialize", "--codec", "json"}, "--codec");
  ExpectUsageError({"serialize", "--dist", "normal"}, "--dist");
  ExpectUsageError({"serialize", "--op", "compress"}, "--op");
  for (const char* n : {"-5", "0", "1e40", "abc", "99999999"}) {
    ExpectUsageError({"serialize", "--values", n}, "--values");
  }
  ExpectUsageError({"serialize", "--decode-hex", "xyz"}, "--decode-hex");
  ExpectUsageError({"serialize", "--decode-hex", "abc"}, "--decode-hex");
  ExpectUsageError({"serialize", "--decode-hex", ""}, "--decode-hex");
}

}  // namespace
}  // namespace sysbench::testing
