#include "topics/float_info/facts.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>

#include "sysbench/units.h"
#include "topics/float_info/format.h"

namespace sysbench {
namespace {

constexpr const char* kCommand = "float-info";

// Long double does not fit a double, so its values are shown as text with 21 digits (enough to
// round-trip the 64-bit mantissa).
MetricValue LongValue(long double value, const FloatFormat& format) {
  if (format.value_bits == 80) {
    if (std::isinf(value)) return std::string(value > 0 ? "inf" : "-inf");
    if (std::isnan(value)) return std::string("nan");
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.21Lg", value);
    return std::string(buffer);
  }
  return static_cast<double>(value);
}

std::string Show(long double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  return FormatDouble(static_cast<double>(value));
}

// The limits of a type: from numeric_limits where the compiler has the type (looked up), from
// the format's field widths otherwise (computed). Tests check that the two agree.
struct Limits {
  std::int64_t bytes = 0, mant_dig = 0, dig = 0, min_exp = 0, max_exp = 0;
  std::int64_t min_10_exp = 0, max_10_exp = 0;
  long double epsilon = 0, min_normal = 0, min_subnormal = 0, max = 0;
  Source source = Source::kComputed;
};

template <typename T>
Limits NumericLimits() {
  using L = std::numeric_limits<T>;
  return Limits{sizeof(T),       L::digits,         L::digits10,       L::min_exponent,
                L::max_exponent, L::min_exponent10, L::max_exponent10, L::epsilon(),
                L::min(),        L::denorm_min(),   L::max(),          Source::kLookedUp};
}

Limits FormatLimits(const FloatFormat& f) {
  return Limits{f.storage_bytes,
                f.Precision(),
                f.Digits10(),
                f.MinExp(),
                f.MaxExp(),
                static_cast<std::int64_t>(std::ceil(std::log10(f.MinNormal()))),
                static_cast<std::int64_t>(std::floor(std::log10(f.Max()))),
                f.Epsilon(),
                f.MinNormal(),
                f.MinSubnormal(),
                f.Max(),
                Source::kComputed};
}

void AddLimits(Result& r, const FloatFormat& f, const Limits& l) {
  const Source s = l.source;
  r.Add(Fact("bits", std::int64_t{f.value_bits}, Source::kComputed, "bit"))
      .Add(Fact("bytes", l.bytes, s, "B"))
      .Add(Fact("radix", std::int64_t{2}, s))
      .Add(Fact("mant_dig", l.mant_dig, s))
      .Add(Fact("dig", l.dig, s))
      .Add(Fact("epsilon", LongValue(l.epsilon, f), s))
      .Add(Fact("min_normal", LongValue(l.min_normal, f), s))
      .Add(Fact("min_subnormal", LongValue(l.min_subnormal, f), s))
      .Add(Fact("max", LongValue(l.max, f), s))
      .Add(Fact("min_exp", l.min_exp, s))
      .Add(Fact("max_exp", l.max_exp, s))
      .Add(Fact("min_10_exp", l.min_10_exp, s))
      .Add(Fact("max_10_exp", l.max_10_exp, s));
}

void AddPatterns(Result& r, const FloatFormat& f) {
  const FloatBits inf = PositiveInfinityBits(f);
  r.Add(Fact("bits_pos_zero", BitsToHex(0, f.value_bits), Source::kComputed))
      .Add(Fact("bits_neg_zero", BitsToHex(SignBit(f), f.value_bits), Source::kComputed))
      .Add(Fact("bits_pos_inf", BitsToHex(inf, f.value_bits), Source::kComputed))
      .Add(Fact("bits_neg_inf", BitsToHex(inf | SignBit(f), f.value_bits), Source::kComputed))
      .Add(Fact("bits_nan", BitsToHex(QuietNanBits(f), f.value_bits), Source::kComputed));
}

// The in-memory bytes of a native value, as the format's bit pattern.
template <typename T>
FloatBits NativeBits(T value, const FloatFormat& f) {
  FloatBits bits = 0;
  std::memcpy(&bits, &value, static_cast<std::size_t>(f.value_bits / 8));
  return bits;
}

// The seed's rules and the empirical checks, done in T's own arithmetic on this CPU. Every operand
// goes through a volatile so the compiler cannot fold the answers at compile time.
template <typename T>
void AddArithmetic(Result& r, const FloatFormat& f) {
  volatile T inf = static_cast<T>(HUGE_VALL);
  volatile T zero = static_cast<T>(0);
  volatile T inf_plus_inf = inf + inf;
  volatile T inf_minus_inf = inf - inf;
  volatile T zero_times_inf = zero * inf;
  volatile T nan = inf_minus_inf;
  const bool nan_equals_nan = nan == nan;
  r.Add(Fact("inf_plus_inf", Show(static_cast<long double>(inf_plus_inf)), Source::kComputed))
      .Add(Fact("inf_minus_inf", Show(static_cast<long double>(inf_minus_inf)), Source::kComputed))
      .Add(
          Fact("zero_times_inf", Show(static_cast<long double>(zero_times_inf)), Source::kComputed))
      .Add(Fact("nan_equals_nan", std::string(nan_equals_nan ? "true" : "false"),
                Source::kComputed));

  volatile T one = static_cast<T>(1);
  volatile T eps = static_cast<T>(f.Epsilon());
  volatile T one_plus_eps = one + eps;
  volatile T half_eps = eps / static_cast<T>(2);
  volatile T one_plus_half = one + half_eps;
  const bool eps_ok = one_plus_eps != one && one_plus_half == one;
  r.Add(Fact("epsilon_check", std::string(eps_ok ? "ok: 1+eps != 1 and 1+eps/2 == 1" : "FAILED"),
             Source::kComputed));
  // The classic loop: halve until adding half of it to 1 changes nothing.
  volatile T found = one;
  for (int i = 0; i < 20000; ++i) {
    volatile T half = found / static_cast<T>(2);
    volatile T trial = one + half;
    if (trial == one) break;
    found = half;
  }
  r.Add(
      Fact("epsilon_by_halving", LongValue(static_cast<long double>(found), f), Source::kComputed));

  volatile T tiny = static_cast<T>(f.MinSubnormal());
  volatile T half_tiny = tiny / static_cast<T>(2);
  const bool positive = tiny > zero;
  const bool vanishes = half_tiny == zero;
  std::string verdict = "ok: min_subnormal > 0 and min_subnormal/2 == 0";
  if (!positive) verdict = "flushed: min_subnormal reads as 0 (denormals-are-zero is on)";
  if (positive && !vanishes) verdict = "FAILED: min_subnormal/2 != 0";
  r.Add(Fact("subnormal_check", verdict, Source::kComputed));

  // Patterns of real values in memory must equal the format's patterns.
  const bool patterns_match = NativeBits(static_cast<T>(HUGE_VALL), f) == PositiveInfinityBits(f) &&
                              NativeBits(static_cast<T>(-0.0L), f) == SignBit(f);
  r.Add(Fact("bits_check", std::string(patterns_match ? "ok: memory matches the format" : "FAILED"),
             Source::kComputed));
}

// bfloat16 has no C++ type here: its arithmetic is modelled as float32 rounded to bfloat16, which
// is what AVX512_BF16 conversions do.
void AddBfloat16Arithmetic(Result& r, const FloatFormat& f) {
  const auto round = [&f](long double v) { return Decode(Encode(v, f), f); };
  const long double inf = HUGE_VALL;
  r.Add(Fact("inf_plus_inf", Show(round(inf + inf)), Source::kComputed))
      .Add(Fact("inf_minus_inf", Show(round(inf - inf)), Source::kComputed))
      .Add(Fact("zero_times_inf", Show(round(0.0L * inf)), Source::kComputed))
      .Add(Fact("nan_equals_nan", std::string("false"), Source::kComputed));
  const bool eps_ok = round(1 + f.Epsilon()) != 1 && round(1 + f.Epsilon() / 2) == 1;
  r.Add(Fact("epsilon_check", std::string(eps_ok ? "ok: 1+eps != 1 and 1+eps/2 == 1" : "FAILED"),
             Source::kComputed));
  long double found = 1;
  while (round(1 + found / 2) != 1) found /= 2;
  r.Add(Fact("epsilon_by_halving", static_cast<double>(found), Source::kComputed));
  const bool sub_ok = round(f.MinSubnormal()) > 0 && round(f.MinSubnormal() / 2) == 0;
  r.Add(Fact("subnormal_check",
             std::string(sub_ok ? "ok: min_subnormal > 0 and min_subnormal/2 == 0" : "FAILED"),
             Source::kComputed));
}

Result FloatResult(const FloatFormat& f, const char* arithmetic) {
  Result r(kCommand, std::string(f.name));
  r.Param("kind", "float").Param("arithmetic", arithmetic);
  return r;
}

template <typename T>
Result IntegerResult(const char* name) {
  using L = std::numeric_limits<T>;
  Result r(kCommand, name);
  r.Param("kind", "integer");
  r.Add(Fact("bits", std::int64_t{L::digits + (L::is_signed ? 1 : 0)}, Source::kLookedUp, "bit"))
      .Add(Fact("bytes", static_cast<std::int64_t>(sizeof(T)), Source::kLookedUp, "B"))
      .Add(Fact("signed", std::string(L::is_signed ? "yes" : "no"), Source::kLookedUp));
  if constexpr (L::is_signed) {
    r.Add(Fact("min", static_cast<std::int64_t>(L::min()), Source::kLookedUp))
        .Add(Fact("max", static_cast<std::int64_t>(L::max()), Source::kLookedUp));
  } else {
    r.Add(Fact("min", static_cast<std::uint64_t>(L::min()), Source::kLookedUp))
        .Add(Fact("max", static_cast<std::uint64_t>(L::max()), Source::kLookedUp));
  }
  return r;
}

}  // namespace

std::vector<Result> FloatTypeFacts() {
  std::vector<Result> results;
  {
    const FloatFormat& f = Float16Format();
    Result r = FloatResult(f, "hardware (_Float16; computed via float32 unless AVX512_FP16)");
    AddLimits(r, f, FormatLimits(f));
    AddPatterns(r, f);
    AddArithmetic<_Float16>(r, f);
    results.push_back(std::move(r));
  }
  {
    const FloatFormat& f = BFloat16Format();
    Result r = FloatResult(f, "software model (float32 rounded to bfloat16)");
    AddLimits(r, f, FormatLimits(f));
    AddPatterns(r, f);
    AddBfloat16Arithmetic(r, f);
    results.push_back(std::move(r));
  }
  {
    const FloatFormat& f = Float32Format();
    Result r = FloatResult(f, "hardware (float, SSE)");
    AddLimits(r, f, NumericLimits<float>());
    AddPatterns(r, f);
    AddArithmetic<float>(r, f);
    results.push_back(std::move(r));
  }
  {
    const FloatFormat& f = Float64Format();
    Result r = FloatResult(f, "hardware (double, SSE2)");
    AddLimits(r, f, NumericLimits<double>());
    AddPatterns(r, f);
    AddArithmetic<double>(r, f);
    results.push_back(std::move(r));
  }
  {
    const FloatFormat& f = X87ExtendedFormat();
    Result r = FloatResult(f, "hardware (long double, x87 80-bit)");
    AddLimits(r, f, NumericLimits<long double>());
    AddPatterns(r, f);
    AddArithmetic<long double>(r, f);
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<Result> IntegerTypeFacts() {
  return {IntegerResult<std::int8_t>("int8"),     IntegerResult<std::int16_t>("int16"),
          IntegerResult<std::int32_t>("int32"),   IntegerResult<std::int64_t>("int64"),
          IntegerResult<std::uint8_t>("uint8"),   IntegerResult<std::uint16_t>("uint16"),
          IntegerResult<std::uint32_t>("uint32"), IntegerResult<std::uint64_t>("uint64")};
}

}  // namespace sysbench
