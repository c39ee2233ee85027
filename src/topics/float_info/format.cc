#include "topics/float_info/format.h"

#include <cmath>

namespace sysbench {
namespace {

FloatBits One() { return 1; }

FloatBits FractionMask(const FloatFormat& f) { return (One() << f.fraction_bits) - 1; }

int MantissaFieldBits(const FloatFormat& f) {
  return f.fraction_bits + (f.explicit_integer_bit ? 1 : 0);
}

FloatBits ExponentMask(const FloatFormat& f) { return (One() << f.exponent_bits) - 1; }

FloatBits Pack(bool negative, FloatBits exponent, FloatBits mantissa, const FloatFormat& f) {
  const int mantissa_bits = MantissaFieldBits(f);
  return (negative ? SignBit(f) : 0) | (exponent << mantissa_bits) | mantissa;
}

}  // namespace

int FloatFormat::Digits10() const {
  return static_cast<int>(std::floor(static_cast<double>(fraction_bits) * std::log10(2.0)));
}
long double FloatFormat::Epsilon() const { return std::ldexp(1.0L, -fraction_bits); }
long double FloatFormat::MinNormal() const { return std::ldexp(1.0L, MinExp() - 1); }
long double FloatFormat::MinSubnormal() const {
  return std::ldexp(1.0L, MinExp() - 1 - fraction_bits);
}
long double FloatFormat::Max() const {
  return std::ldexp(2.0L - std::ldexp(1.0L, -fraction_bits), MaxExp() - 1);
}

const FloatFormat& Float16Format() {
  static const FloatFormat f{"float16", 16, 2, 5, 10};
  return f;
}
const FloatFormat& BFloat16Format() {
  static const FloatFormat f{"bfloat16", 16, 2, 8, 7};
  return f;
}
const FloatFormat& Float32Format() {
  static const FloatFormat f{"float32", 32, 4, 8, 23};
  return f;
}
const FloatFormat& Float64Format() {
  static const FloatFormat f{"float64", 64, 8, 11, 52};
  return f;
}
const FloatFormat& X87ExtendedFormat() {
  static const FloatFormat f{"long double", 80, static_cast<int>(sizeof(long double)), 15, 63,
                             true};
  return f;
}

FloatBits SignBit(const FloatFormat& f) { return One() << (f.value_bits - 1); }

FloatBits PositiveInfinityBits(const FloatFormat& f) {
  const FloatBits integer_bit = f.explicit_integer_bit ? (One() << f.fraction_bits) : 0;
  return Pack(false, ExponentMask(f), integer_bit, f);
}

FloatBits QuietNanBits(const FloatFormat& f) {
  return PositiveInfinityBits(f) | (One() << (f.fraction_bits - 1));
}

FloatBits Encode(long double value, const FloatFormat& f) {
  if (std::isnan(value)) return QuietNanBits(f);
  const bool negative = std::signbit(value);
  const long double magnitude = std::fabs(value);
  if (std::isinf(magnitude)) return PositiveInfinityBits(f) | (negative ? SignBit(f) : 0);
  if (magnitude == 0) return negative ? SignBit(f) : 0;
  const FloatBits integer_bit = f.explicit_integer_bit ? (One() << f.fraction_bits) : 0;
  const int min_normal_exponent = f.MinExp() - 1;  // unbiased exponent of the smallest normal
  const int exponent = std::ilogb(magnitude);
  if (exponent < min_normal_exponent) {
    // Subnormal: count units of the smallest subnormal, rounded to even. Rounding up to
    // 2^fraction_bits units lands exactly on the smallest normal, which Pack encodes correctly.
    const long double units =
        std::nearbyint(std::ldexp(magnitude, f.fraction_bits - min_normal_exponent));
    const auto mantissa = static_cast<FloatBits>(units);
    if (mantissa > FractionMask(f)) return Pack(negative, 1, integer_bit, f);
    return Pack(negative, 0, mantissa, f);
  }
  // Normal: 1.fraction x 2^exponent; scaling by powers of two is exact in long double.
  long double fraction = std::nearbyint(std::ldexp(magnitude, f.fraction_bits - exponent)) -
                         std::ldexp(1.0L, f.fraction_bits);
  int biased = exponent + f.Bias();
  if (fraction >= std::ldexp(1.0L, f.fraction_bits)) {
    fraction = 0;
    ++biased;
  }
  if (biased >= static_cast<int>(ExponentMask(f))) {
    return PositiveInfinityBits(f) | (negative ? SignBit(f) : 0);
  }
  return Pack(negative, static_cast<FloatBits>(biased),
              static_cast<FloatBits>(fraction) | integer_bit, f);
}

FloatFields SplitFields(FloatBits bits, const FloatFormat& f) {
  FloatFields fields;
  const int mantissa_bits = MantissaFieldBits(f);
  fields.negative = (bits & SignBit(f)) != 0;
  fields.exponent_field = static_cast<std::uint32_t>((bits >> mantissa_bits) & ExponentMask(f));
  fields.fraction_field = bits & ((One() << mantissa_bits) - 1);
  return fields;
}

long double Decode(FloatBits bits, const FloatFormat& f) {
  const FloatFields fields = SplitFields(bits, f);
  const long double sign = fields.negative ? -1.0L : 1.0L;
  const FloatBits fraction = fields.fraction_field & FractionMask(f);
  const auto fraction_value = static_cast<long double>(fraction);
  if (fields.exponent_field == ExponentMask(f)) {
    return fraction == 0 ? sign * HUGE_VALL : std::nanl("");
  }
  if (fields.exponent_field == 0) {
    return sign * std::ldexp(fraction_value, f.MinExp() - 1 - f.fraction_bits);
  }
  const int exponent = static_cast<int>(fields.exponent_field) - f.Bias();
  return sign * std::ldexp(1.0L + std::ldexp(fraction_value, -f.fraction_bits), exponent);
}

std::string BitsToHex(FloatBits bits, int value_bits) {
  static const char kDigits[] = "0123456789abcdef";
  std::string hex;
  const int digits = (value_bits + 3) / 4;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    hex += kDigits[static_cast<unsigned>(bits >> shift) & 0xFU];
  }
  return "0x" + hex;
}

}  // namespace sysbench
