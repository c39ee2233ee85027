#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "sysbench/error.h"
#include "topics/float_info/facts.h"
#include "topics/float_info/format.h"

namespace sysbench {
namespace {

const Result& Find(const std::vector<Result>& results, const std::string& case_id) {
  for (const Result& r : results) {
    if (r.case_id == case_id) return r;
  }
  throw std::runtime_error("no case " + case_id);
}

const MetricValue& Value(const Result& r, const std::string& metric) {
  const Metric* m = r.Find(metric);
  if (m == nullptr) throw std::runtime_error("no metric " + metric + " in " + r.case_id);
  return m->value;
}

TEST(FloatInfo, Float64AgreesWithPythonSysFloatInfo) {
  const auto facts = FloatTypeFacts();
  const Result& f64 = Find(facts, "float64");
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "dig")), 15);
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "mant_dig")), 53);
  EXPECT_EQ(std::get<double>(Value(f64, "epsilon")), 2.220446049250313e-16);
  EXPECT_EQ(std::get<double>(Value(f64, "max")), 1.7976931348623157e+308);
  EXPECT_EQ(std::get<double>(Value(f64, "min_normal")), 2.2250738585072014e-308);
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "max_exp")), 1024);
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "min_exp")), -1021);
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "max_10_exp")), 308);
  EXPECT_EQ(std::get<std::int64_t>(Value(f64, "min_10_exp")), -307);
  EXPECT_EQ(std::get<std::string>(Value(f64, "bits_pos_inf")), "0x7ff0000000000000");
  EXPECT_EQ(std::get<std::string>(Value(f64, "bits_neg_zero")), "0x8000000000000000");
  EXPECT_EQ(f64.Find("epsilon")->source, Source::kLookedUp);
}

TEST(FloatInfo, SeedRulesAndChecksHoldForEveryType) {
  for (const Result& r : FloatTypeFacts()) {
    SCOPED_TRACE(r.case_id);
    EXPECT_EQ(std::get<std::string>(Value(r, "inf_plus_inf")), "inf");
    EXPECT_EQ(std::get<std::string>(Value(r, "inf_minus_inf")), "nan");
    EXPECT_EQ(std::get<std::string>(Value(r, "zero_times_inf")), "nan");
    EXPECT_EQ(std::get<std::string>(Value(r, "nan_equals_nan")), "false");
    EXPECT_EQ(std::get<std::string>(Value(r, "epsilon_check")).rfind("ok", 0), 0u);
    EXPECT_EQ(std::get<std::string>(Value(r, "subnormal_check")).rfind("ok", 0), 0u);
    EXPECT_EQ(Value(r, "epsilon_by_halving"), Value(r, "epsilon"));
  }
}

TEST(FloatInfo, HalfAndBfloatLimits) {
  const auto facts = FloatTypeFacts();
  const Result& f16 = Find(facts, "float16");
  EXPECT_EQ(std::get<double>(Value(f16, "max")), 65504.0);
  EXPECT_EQ(std::get<double>(Value(f16, "epsilon")), 0.0009765625);
  EXPECT_EQ(std::get<std::int64_t>(Value(f16, "dig")), 3);
  EXPECT_EQ(std::get<std::string>(Value(f16, "bits_pos_inf")), "0x7c00");
  const Result& bf16 = Find(facts, "bfloat16");
  EXPECT_EQ(std::get<double>(Value(bf16, "epsilon")), 0.0078125);
  EXPECT_EQ(std::get<double>(Value(bf16, "max")), 3.3895313892515355e+38);
  EXPECT_EQ(std::get<std::string>(Value(bf16, "bits_nan")), "0x7fc0");
  const Result& x87 = Find(facts, "long double");
  EXPECT_EQ(std::get<std::int64_t>(Value(x87, "mant_dig")), 64);
  EXPECT_EQ(std::get<std::string>(Value(x87, "bits_pos_inf")), "0x7fff8000000000000000");
}

TEST(FloatInfo, FormatModelAgreesWithNumericLimits) {
  EXPECT_EQ(Float32Format().Epsilon(), std::numeric_limits<float>::epsilon());
  EXPECT_EQ(Float32Format().Max(), std::numeric_limits<float>::max());
  EXPECT_EQ(Float32Format().MinSubnormal(), std::numeric_limits<float>::denorm_min());
  EXPECT_EQ(Float64Format().MinNormal(), std::numeric_limits<double>::min());
  EXPECT_EQ(Float64Format().Digits10(), std::numeric_limits<double>::digits10);
  EXPECT_EQ(X87ExtendedFormat().Max(), std::numeric_limits<long double>::max());
  EXPECT_EQ(X87ExtendedFormat().MinExp(), std::numeric_limits<long double>::min_exponent);
  EXPECT_EQ(X87ExtendedFormat().MinSubnormal(), std::numeric_limits<long double>::denorm_min());
}

template <typename T, typename U>
U BitsOf(T value) {
  U bits;
  std::memcpy(&bits, &value, sizeof bits);
  return bits;
}

TEST(FloatFormat, EncodeMatchesNativeRoundingOnRandomDoubles) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    double value;
    std::uint64_t raw = rng();
    std::memcpy(&value, &raw, sizeof value);
    if (std::isnan(value)) continue;
    EXPECT_EQ(static_cast<std::uint64_t>(Encode(value, Float64Format())), raw);
    const auto as_float = static_cast<float>(value);
    EXPECT_EQ(static_cast<std::uint32_t>(Encode(value, Float32Format())),
              (BitsOf<float, std::uint32_t>(as_float)))
        << value;
    const auto as_half = static_cast<_Float16>(value);
    EXPECT_EQ(static_cast<std::uint16_t>(Encode(value, Float16Format())),
              (BitsOf<_Float16, std::uint16_t>(as_half)))
        << value;
  }
}

TEST(FloatFormat, RoundsTiesToEvenAndHandlesEdges) {
  const FloatFormat& f = BFloat16Format();
  EXPECT_EQ(static_cast<unsigned>(Encode(1.0L, f)), 0x3f80u);
  EXPECT_EQ(static_cast<unsigned>(Encode(1.0L + 1.0L / 256, f)), 0x3f80u);  // tie, to even
  EXPECT_EQ(static_cast<unsigned>(Encode(1.0L + 3.0L / 256, f)), 0x3f82u);  // tie, to even
  EXPECT_EQ(static_cast<unsigned>(Encode(1e39L, f)), 0x7f80u);              // overflow
  EXPECT_EQ(static_cast<unsigned>(Encode(-1e-50L, f)), 0x8000u);            // underflow to -0
  EXPECT_EQ(Decode(Encode(f.MinSubnormal(), f), f), f.MinSubnormal());
  EXPECT_TRUE(std::isnan(Decode(Encode(std::nanl(""), f), f)));
  const FloatFormat& x87 = X87ExtendedFormat();
  EXPECT_EQ(Decode(Encode(3.14L, x87), x87), 3.14L);
  EXPECT_EQ(Decode(Encode(x87.MinSubnormal(), x87), x87), x87.MinSubnormal());
}

TEST(FloatInfo, ValueShowsStorageOfPi) {
  const auto results = ValueFacts("3.14");
  const Result& f32 = Find(results, "value/float32");
  EXPECT_EQ(std::get<std::string>(Value(f32, "bits_hex")), "0x4048f5c3");
  EXPECT_EQ(std::get<std::string>(Value(f32, "stored_exact")), "3.1400001049041748046875");
  EXPECT_EQ(std::get<std::int64_t>(Value(f32, "exponent")), 1);
  const Result& f64 = Find(results, "value/float64");
  EXPECT_EQ(std::get<std::string>(Value(f64, "bits_hex")), "0x40091eb851eb851f");
  const Result& f16 = Find(results, "value/float16");
  EXPECT_EQ(std::get<std::string>(Value(f16, "bits_hex")), "0x4248");
  EXPECT_EQ(std::get<std::string>(Value(f16, "fraction_field_hex")), "0x248");
}

TEST(FloatInfo, ValueOverflowAndUnderflow) {
  const auto big = ValueFacts("1e40");
  EXPECT_EQ(std::get<std::string>(Value(Find(big, "value/float32"), "status")),
            "overflow: stored as inf");
  EXPECT_EQ(std::get<std::string>(Value(Find(big, "value/float64"), "status")),
            "rounded to nearest");
  const auto small = ValueFacts("1e-50");
  EXPECT_EQ(std::get<std::string>(Value(Find(small, "value/float32"), "status")),
            "underflow: stored as 0");
  EXPECT_EQ(std::get<std::string>(Value(Find(ValueFacts("0.5"), "value/float16"), "status")),
            "exact");
}

TEST(FloatInfo, ValueRejectsNonNumbers) {
  for (const char* bad : {"abc", "", "3.14x", " 1", "1 "}) {
    EXPECT_THROW(ValueFacts(bad), UsageError) << bad;
  }
}

TEST(FloatInfo, IntegerLimitsAreExact) {
  const auto ints = IntegerTypeFacts();
  EXPECT_EQ(std::get<std::uint64_t>(Value(Find(ints, "uint64"), "max")), UINT64_MAX);
  EXPECT_EQ(std::get<std::int64_t>(Value(Find(ints, "int64"), "min")), INT64_MIN);
  EXPECT_EQ(std::get<std::int64_t>(Value(Find(ints, "int8"), "bits")), 8);
}

TEST(FloatInfo, HardwareListsMxcsr) {
  const auto hardware = HardwareFacts();
  const Result& mxcsr = Find(hardware, "mxcsr");
  const std::string ftz = std::get<std::string>(Value(mxcsr, "ftz"));
  EXPECT_TRUE(ftz == "on" || ftz == "off");
}

}  // namespace
}  // namespace sysbench
