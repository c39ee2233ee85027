// `sysbench serialize`: what it costs to put integers on the wire. Base-128 varints (Protocol
// Buffers) and zigzag vs fixed-width little-endian, byte-order conversion (bswap) vs none, and the
// seed's 3-byte integers (memory saved vs time lost converting them).
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <bit>
#include <cstring>
#include <random>

#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/registry.h"
#include "topics/serialize/kernels/serialize_codec.h"

namespace sysbench {
namespace {

namespace k = kernels;

const std::vector<std::string> kCodecs = {"varint",   "zigzag", "fixed",
                                          "fixed_be", "int24",  "int32"};
const std::vector<std::string> kDists = {"small", "u32", "u64"};
const std::vector<std::string> kOps = {"encode", "decode", "sum"};
// One pass is microseconds long: shorter batches than the global default keep the whole run short
// without losing resolution.
constexpr TimingDefaults kTiming{.min_time = ByMode<double>{0.02, 0.005},
                                 .warmup = ByMode<double>{0.02, 0.005}};

// Values of a distribution: unsigned for varint and fixed, signed (same magnitudes) for zigzag.
std::vector<std::uint64_t> Unsigned(const std::string& dist, std::size_t n, std::mt19937_64& rng) {
  std::vector<std::uint64_t> v(n);
  for (auto& x : v) {
    const std::uint64_t r = rng();
    x = dist == "small" ? r % 128 : dist == "u32" ? r >> 32 : r;
  }
  return v;
}

std::vector<std::int64_t> Signed(const std::string& dist, std::size_t n, std::mt19937_64& rng) {
  std::vector<std::int64_t> v(n);
  for (auto& x : v) {
    const std::uint64_t r = rng();
    x = dist == "small" ? static_cast<std::int64_t>(r % 128) - 64
        : dist == "u32" ? static_cast<std::int64_t>(static_cast<std::int32_t>(r >> 32))
                        : static_cast<std::int64_t>(r);
  }
  return v;
}

// "ac 02": two lower-case hex digits a byte, spaces between.
std::string Hex(const std::uint8_t* data, std::size_t n) {
  return fmt::format("{:02x}", fmt::join(data, data + n, " "));
}

// Encodes fixed test values and compares with bytes written down by hand: the wire format must
// not depend on the CPU's byte order.
Result ByteOrderCheck() {
  std::uint8_t buf[64];
  bool same = true;
  const std::uint64_t v300 = 300;
  same = same && k::EncodeVarint(v300, buf) == 2 && buf[0] == 0xac && buf[1] == 0x02;
  const std::int64_t minus_one = -1;
  same = same && k::EncodeZigZagArray(&minus_one, 1, buf) == 1 && buf[0] == 0x01;
  const std::uint64_t word = 0x0102030405060708;
  k::EncodeFixedArray(&word, 1, 8, false, buf);
  const std::uint8_t le[8] = {8, 7, 6, 5, 4, 3, 2, 1};
  same = same && std::memcmp(buf, le, 8) == 0;
  k::EncodeFixedArray(&word, 1, 8, true, buf);
  const std::uint8_t be[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  same = same && std::memcmp(buf, be, 8) == 0;
  const std::int32_t i24 = -2;
  k::PackInt24(&i24, 1, buf);
  same = same && buf[0] == 0xfe && buf[1] == 0xff && buf[2] == 0xff;
  Result r("serialize", "check/byte-order");
  r.Param("codec", "all");
  r.Add(LookedUp("native_endianness",
                 std::string(std::endian::native == std::endian::little ? "little" : "big")));
  r.Add(Computed("same_bytes_on_any_cpu", std::string(same ? "yes" : "no")));
  r.Add(Computed("varint_300", std::string("ac 02")));
  return r;
}

Result MalformedCheck() {
  std::uint8_t overlong[11];
  std::memset(overlong, 0xff, sizeof(overlong));
  overlong[10] = 0x01;
  const std::uint8_t truncated[3] = {0x80, 0x80, 0x80};
  const std::uint8_t overflow[10] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  std::uint64_t out[2];
  const bool too_long =
      k::DecodeVarint(overlong, sizeof(overlong)).status == k::DecodeStatus::kTooLong;
  const bool cut =
      k::DecodeVarint(truncated, sizeof(truncated)).status == k::DecodeStatus::kTruncated &&
      k::DecodeVarintArray(truncated, 1, 1, out).status == k::DecodeStatus::kTruncated;
  const bool over = k::DecodeVarint(overflow, sizeof(overflow)).status == k::DecodeStatus::kTooLong;
  Result r("serialize", "check/malformed");
  r.Param("codec", "varint");
  auto yes = [](bool b) { return std::string(b ? "yes" : "no"); };
  r.Add(Computed("overlong_rejected", yes(too_long)));
  r.Add(Computed("overflow_rejected", yes(over)));
  r.Add(Computed("truncated_rejected", yes(cut)));
  return r;
}

class SerializeCommand final : public Command {
 public:
  std::string_view Name() const override { return "serialize"; }
  std::string_view Summary() const override {
    return "Varint/zigzag vs fixed-width integers, byte-order conversion, 3-byte integers";
  }
  std::vector<std::string> GateMetrics() const override { return {"values_per_s"}; }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--codec", codecs_,
                   "Codecs: varint,zigzag,fixed,fixed_be,int24,int32 (default all)");
    sub.add_option("--dist", dists_, "Value distributions: small,u32,u64 (default all)");
    sub.add_option("--op", ops_, "Operations: encode,decode,sum (default all)");
    sub.add_option("--values", values_, "Values per pass (default 16384)");
    hex_option_ = sub.add_option("--decode-hex", hex_,
                                 "Decode these bytes (hex) as varints and show the values");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    if (hex_option_ != nullptr && hex_option_->count() > 0) {
      sink.Emit(DecodeHex(hex_));
      return;
    }
    const std::vector<std::string> codecs = ParseNameList(codecs_, "--codec", kCodecs);
    const std::vector<std::string> dists = ParseNameList(dists_, "--dist", kDists);
    const std::vector<std::string> ops = ParseNameList(ops_, "--op", kOps);
    const auto n = static_cast<std::size_t>(ParseInt(values_, "--values", 1, 1 << 24));
    const Runner runner = context.MakeRunner(kTiming);

    sink.Emit(ByteOrderCheck());
    sink.Emit(MalformedCheck());
    std::mt19937_64 rng(42);
    std::vector<std::uint8_t> wire(n * k::kMaxVarintBytes);
    std::vector<std::uint64_t> out(n);
    auto has = [](const std::vector<std::string>& list, const char* name) {
      for (const auto& s : list) {
        if (s == name) return true;
      }
      return false;
    };
    for (const std::string& codec : codecs) {
      if (codec == "int24" || codec == "int32") continue;
      for (const std::string& dist : dists) {
        const std::vector<std::uint64_t> values = Unsigned(dist, n, rng);
        const std::vector<std::int64_t> signed_values = Signed(dist, n, rng);
        const unsigned width = dist == "u64" ? 8 : 4;
        const bool be = codec == "fixed_be";
        auto encode = [&]() -> std::size_t {
          if (codec == "varint") return k::EncodeVarintArray(values.data(), n, wire.data());
          if (codec == "zigzag") return k::EncodeZigZagArray(signed_values.data(), n, wire.data());
          return k::EncodeFixedArray(values.data(), n, width, be, wire.data());
        };
        const std::size_t bytes = encode();
        for (const std::string& op : {std::string("encode"), std::string("decode")}) {
          if (!has(ops, op.c_str())) continue;
          std::vector<Sample> samples;
          if (op == "encode") {
            samples = runner.Measure([&](std::uint64_t iterations) {
              for (std::uint64_t i = 0; i < iterations; ++i) {
                std::size_t written = encode();
                DoNotOptimize(written);
                ClobberMemory();
              }
            });
          } else {
            // Check the round trip once, outside the timing.
            std::uint64_t check = 0;
            for (std::size_t i = 0; i < n; ++i) {
              check += codec == "zigzag" ? static_cast<std::uint64_t>(signed_values[i])
                                         : (width == 4 ? values[i] & 0xffffffffu : values[i]);
            }
            const k::BulkResult first = Decode(codec, wire.data(), bytes, n, width, be, out);
            std::uint64_t got = first.checksum;
            if (codec == "zigzag") {
              got = 0;
              for (std::size_t i = 0; i < n; ++i) got += out[i];
            }
            if (first.status != k::DecodeStatus::kOk || got != check) {
              throw RuntimeError("serialize: " + codec + " round trip failed (" +
                                 k::ToString(first.status) + ")");
            }
            samples = runner.Measure([&](std::uint64_t iterations) {
              for (std::uint64_t i = 0; i < iterations; ++i) {
                k::BulkResult r = Decode(codec, wire.data(), bytes, n, width, be, out);
                DoNotOptimize(r.checksum);
                ClobberMemory();
              }
            });
          }
          Result r("serialize", codec + "/" + dist + "/" + op);
          r.Param("codec", codec).Param("dist", dist).Param("op", op);
          if (codec == "fixed" || codec == "fixed_be") {
            r.Param("width_bytes", std::to_string(width));
          }
          r.AddSampled("values_per_s", Rates(samples, static_cast<double>(n)), "1/s",
                       Better::kHigher);
          r.Add(Computed("bytes_per_value", static_cast<double>(bytes) / static_cast<double>(n),
                         "B", Better::kLower));
          sink.Emit(std::move(r));
        }
      }
    }
    if (has(codecs, "int24") || has(codecs, "int32")) Int24Cases(runner, codecs, ops, n, sink);
  }

 private:
  static k::BulkResult Decode(const std::string& codec, const std::uint8_t* data, std::size_t size,
                              std::size_t n, unsigned width, bool be,
                              std::vector<std::uint64_t>& out) {
    if (codec == "varint") return k::DecodeVarintArray(data, size, n, out.data());
    if (codec == "zigzag") {
      return k::DecodeZigZagArray(data, size, n, reinterpret_cast<std::int64_t*>(out.data()));
    }
    return k::DecodeFixedArray(data, size, n, width, be, out.data());
  }

  static void Int24Cases(const Runner& runner, const std::vector<std::string>& codecs,
                         const std::vector<std::string>& ops, std::size_t n, ResultSink& sink) {
    std::mt19937_64 rng(24);
    std::vector<std::int32_t> native(n);
    std::int64_t expected = 0;
    for (auto& x : native) {
      x = static_cast<std::int32_t>(rng() % (1u << 24)) + k::kInt24Min;
      expected += x;
    }
    std::vector<std::uint8_t> packed(3 * n);
    k::PackInt24(native.data(), n, packed.data());
    std::vector<std::int32_t> unpacked(n);
    if (k::SumPackedInt24(packed.data(), n) != expected) {
      throw RuntimeError("serialize: int24 sum differs from the int32 sum");
    }
    auto has = [](const std::vector<std::string>& list, const char* name) {
      for (const auto& s : list) {
        if (s == name) return true;
      }
      return false;
    };
    auto emit = [&](const std::string& codec, const std::string& op, std::vector<Sample> samples,
                    double bytes_per_value) {
      Result r("serialize", codec + "/i24/" + op);
      r.Param("codec", codec).Param("dist", "i24").Param("op", op);
      r.AddSampled("values_per_s", Rates(samples, static_cast<double>(n)), "1/s", Better::kHigher);
      r.Add(Computed("bytes_per_value", bytes_per_value, "B", Better::kLower));
      return r;
    };
    double median24 = 0, median32 = 0;
    if (has(codecs, "int24")) {
      if (has(ops, "encode")) {
        sink.Emit(emit("int24", "encode", runner.Measure([&](std::uint64_t iterations) {
          for (std::uint64_t i = 0; i < iterations; ++i) {
            DoNotOptimize(k::PackInt24(native.data(), n, packed.data()));
            ClobberMemory();
          }
        }),
                       3));
      }
      if (has(ops, "decode")) {
        sink.Emit(emit("int24", "decode", runner.Measure([&](std::uint64_t iterations) {
          for (std::uint64_t i = 0; i < iterations; ++i) {
            DoNotOptimize(k::UnpackInt24(packed.data(), 3 * n, n, unpacked.data()).checksum);
            ClobberMemory();
          }
        }),
                       3));
      }
    }
    Result sum24, sum32;
    if (has(ops, "sum") && has(codecs, "int24")) {
      sum24 = emit("int24", "sum", runner.Measure([&](std::uint64_t iterations) {
        for (std::uint64_t i = 0; i < iterations; ++i) {
          DoNotOptimize(k::SumPackedInt24(packed.data(), n));
          ClobberMemory();
        }
      }),
                   3);
      median24 = AsDouble(sum24.metrics.front().value);
    }
    if (has(ops, "sum") && has(codecs, "int32")) {
      sum32 = emit("int32", "sum", runner.Measure([&](std::uint64_t iterations) {
        for (std::uint64_t i = 0; i < iterations; ++i) {
          DoNotOptimize(k::SumInt32(native.data(), n));
          ClobberMemory();
        }
      }),
                   4);
      median32 = AsDouble(sum32.metrics.front().value);
    }
    if (median24 > 0 && median32 > 0) {
      // (a) convert on demand vs (b) a native int32 copy: memory saved vs time lost.
      sum24.Add(Computed("memory_saved_pct", 25.0, "%"));
      sum24.Add(
          Computed("time_lost_pct", 100.0 * (median32 / median24 - 1.0), "%", Better::kLower));
    }
    if (median24 > 0) sink.Emit(std::move(sum24));
    if (median32 > 0) sink.Emit(std::move(sum32));
  }

  static Result DecodeHex(const std::string& text) {
    std::vector<std::uint8_t> bytes;
    std::string digits;
    for (char c : text) {
      if (c == ' ' || c == ',' || c == ':') continue;
      const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!hex) throw UsageError("--decode-hex '" + text + "': not hexadecimal");
      digits += c;
    }
    if (digits.empty() || digits.size() % 2 != 0 || digits.size() > 2 * 4096) {
      throw UsageError("--decode-hex '" + text +
                       "': needs an even number of hex digits (1 to 4096 bytes)");
    }
    for (std::size_t i = 0; i < digits.size(); i += 2) {
      bytes.push_back(static_cast<std::uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
    }
    std::vector<std::string> values;
    std::size_t pos = 0;
    while (pos < bytes.size()) {
      const k::VarintResult one = k::DecodeVarint(bytes.data() + pos, bytes.size() - pos);
      if (one.status != k::DecodeStatus::kOk) {
        throw UsageError(
            "--decode-hex '" + text + "': varint " + std::to_string(values.size() + 1) +
            " at byte " + std::to_string(pos) + " is malformed (" + k::ToString(one.status) +
            (one.status == k::DecodeStatus::kTooLong ? ": more than 10 bytes or beyond 64 bits)"
                                                     : ": the input ends inside it)"));
      }
      values.push_back(std::to_string(one.value));
      pos += one.length;
    }
    Result r("serialize", "decode-hex");
    r.Param("codec", "varint").Param("op", "decode");
    r.Add(Computed("bytes", Hex(bytes.data(), bytes.size())));
    r.Add(Computed("values", Join(values, " ")));
    r.Add(Computed("count", std::uint64_t{values.size()}));
    return r;
  }

  std::string codecs_ = "varint,zigzag,fixed,fixed_be,int24,int32";
  std::string dists_ = "small,u32,u64";
  std::string ops_ = "encode,decode,sum";
  std::string values_ = "16384";
  std::string hex_;
  CLI::Option* hex_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeSerializeCommand() { return std::make_unique<SerializeCommand>(); }

}  // namespace sysbench
