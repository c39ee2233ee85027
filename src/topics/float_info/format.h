// A binary floating-point format described by its field widths, with exact round-to-nearest-even
// encoding. Used to show formats the compiler has no type for (bfloat16) and to cross-check the
// ones it has (tests compare Encode with native casts).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sysbench {

__extension__ typedef unsigned __int128 FloatBits;

struct FloatFormat {
  std::string_view name;
  int value_bits;     // bits that hold the value: 16, 32, 64, 80
  int storage_bytes;  // sizeof of the type in memory (x87 long double: 16)
  int exponent_bits;
  int fraction_bits;                  // stored fraction bits, the integer bit excluded
  bool explicit_integer_bit = false;  // x87 extended stores the leading 1

  int Precision() const { return fraction_bits + 1; }  // mant_dig
  int Bias() const { return (1 << (exponent_bits - 1)) - 1; }
  int MaxExp() const { return Bias() + 1; }  // C's *_MAX_EXP: max < 2^MaxExp
  int MinExp() const { return 2 - Bias(); }  // C's *_MIN_EXP: min normal = 2^(MinExp-1)
  int Digits10() const;                      // decimal digits always kept (sys.float_info.dig)
  long double Epsilon() const;
  long double MinNormal() const;
  long double MinSubnormal() const;
  long double Max() const;
};

const FloatFormat& Float16Format();
const FloatFormat& BFloat16Format();
const FloatFormat& Float32Format();
const FloatFormat& Float64Format();
const FloatFormat& X87ExtendedFormat();

// Nearest representable value (ties to even), overflow to +-Inf, underflow through subnormals to
// +-0, NaN to the quiet NaN.
FloatBits Encode(long double value, const FloatFormat& format);
long double Decode(FloatBits bits, const FloatFormat& format);

FloatBits PositiveInfinityBits(const FloatFormat& format);
FloatBits QuietNanBits(const FloatFormat& format);
FloatBits SignBit(const FloatFormat& format);

// "0x7ff0000000000000": value_bits / 4 hex digits, rounded up.
std::string BitsToHex(FloatBits bits, int value_bits);

struct FloatFields {
  bool negative = false;
  std::uint32_t exponent_field = 0;
  FloatBits fraction_field = 0;  // with the integer bit for x87
};
FloatFields SplitFields(FloatBits bits, const FloatFormat& format);

}  // namespace sysbench
