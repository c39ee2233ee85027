// `float-info --value X`: how one number is stored in each float type.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/float_info/facts.h"
#include "topics/float_info/format.h"

namespace sysbench {
namespace {

// Significant digits that always round-trip a value of this precision (max_digits10).
int RoundTripDigits(const FloatFormat& f) {
  return static_cast<int>(std::ceil(static_cast<double>(f.Precision()) * std::log10(2.0))) + 1;
}

std::string PrintDigits(long double value, int digits) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[160];
  std::snprintf(buffer, sizeof buffer, "%.*Lg", digits, value);
  return buffer;
}

// The exact decimal expansion when it has at most 80 significant digits (every normal float16,
// bfloat16 and float32 value does, and most float64 values near 1); otherwise 80 digits, marked.
std::string ExactDecimal(long double value) {
  constexpr int kDigits = 80;
  const std::string text = PrintDigits(value, kDigits);
  int significant = 0;
  bool leading = true;
  for (char c : text) {
    if (c == 'e' || c == 'E') break;
    if (c < '0' || c > '9') continue;
    if (c != '0') leading = false;
    if (!leading) ++significant;
  }
  return significant < kDigits ? text : text + " (rounded to 80 digits)";
}

// glibc's strtof/strtod/strtold round correctly; float16 and bfloat16 are rounded from the long
// double (64-bit mantissa), which can differ from direct rounding only within 2^-64 of a tie.
FloatBits NearestBits(std::string_view text, const FloatFormat& f, long double as_long) {
  const std::string s(text);
  if (f.value_bits == 32) return Encode(std::strtof(s.c_str(), nullptr), f);
  if (f.value_bits == 64) return Encode(std::strtod(s.c_str(), nullptr), f);
  return Encode(as_long, f);
}

std::string Status(long double input, long double stored, const FloatFormat& f) {
  if (std::isnan(input)) return "nan";
  if (std::isinf(stored) && !std::isinf(input)) return "overflow: stored as inf";
  if (stored == 0 && input != 0) return "underflow: stored as 0";
  if (stored != 0 && std::fabs(stored) < f.MinNormal()) return "subnormal: fewer digits kept";
  if (f.value_bits == 80) return "nearest long double (the reference for the other errors)";
  return stored == input ? "exact" : "rounded to nearest";
}

Result DescribeIn(std::string_view text, long double input, const FloatFormat& f) {
  const FloatBits bits = NearestBits(text, f, input);
  const long double stored = Decode(bits, f);
  const FloatFields fields = SplitFields(bits, f);
  Result r("float-info", "value/" + std::string(f.name));
  r.Param("kind", "value").Param("input", std::string(text));
  r.Add(Computed("stored", PrintDigits(stored, RoundTripDigits(f))))
      .Add(Computed("stored_exact", ExactDecimal(stored)))
      .Add(Computed("status", Status(input, stored, f)))
      .Add(Computed("bits_hex", BitsToHex(bits, f.value_bits)))
      .Add(Computed("sign", std::int64_t{fields.negative ? 1 : 0}))
      .Add(Computed("exponent_field", std::int64_t{fields.exponent_field}))
      .Add(Computed("fraction_field_hex",
                    BitsToHex(fields.fraction_field, f.value_bits - 1 - f.exponent_bits)));
  if (fields.exponent_field != 0 && std::isfinite(stored)) {
    r.Add(Computed("exponent", std::int64_t{static_cast<int>(fields.exponent_field) - f.Bias()}));
  }
  // Errors against the input read as long double; for long double itself that is the reference.
  if (f.value_bits != 80 && std::isfinite(input) && std::isfinite(stored)) {
    const long double abs_error = std::fabs(stored - input);
    r.Add(Computed("abs_error", static_cast<double>(abs_error)));
    if (input != 0) r.Add(Computed("rel_error", static_cast<double>(abs_error / std::fabs(input))));
  }
  return r;
}

}  // namespace

std::vector<Result> ValueFacts(std::string_view text) {
  const std::string s(text);
  char* end = nullptr;
  errno = 0;
  const long double input = s.empty() ? 0 : std::strtold(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || s.find_first_of(" \t\n") != std::string::npos) {
    throw UsageError("--value '" + s + "' is not a number (examples: 3.14, -1e-40, 0x1p-3, inf)");
  }
  std::vector<Result> results;
  for (const FloatFormat* f : {&Float16Format(), &BFloat16Format(), &Float32Format(),
                               &Float64Format(), &X87ExtendedFormat()}) {
    results.push_back(DescribeIn(text, input, *f));
  }
  return results;
}

}  // namespace sysbench
