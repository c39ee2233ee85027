#include "sysbench/units.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "sysbench/error.h"

namespace sysbench {
namespace {

std::string Quote(std::string_view option, std::string_view text) {
  return fmt::format("{} '{}'", option, text);
}

// Parses a leading number; returns the rest in `rest`. Nullopt-like: sets ok=false on failure.
bool ParseLeadingDouble(std::string_view text, double& value, std::string_view& rest) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec == std::errc::result_out_of_range) {
    value = std::numeric_limits<double>::infinity();
    // from_chars leaves ptr at the end of the number even when it is out of range.
  } else if (ec != std::errc()) {
    return false;
  }
  rest = std::string_view(ptr, static_cast<std::size_t>(end - ptr));
  return true;
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::uint64_t ParseSize(std::string_view text, std::string_view option, std::uint64_t max,
                        bool allow_zero) {
  const std::string why =
      " is not a size (use a number of bytes with an optional K, M, G, T suffix)";
  double number = 0;
  std::string_view suffix;
  if (text.empty() || !ParseLeadingDouble(text, number, suffix)) {
    throw UsageError(Quote(option, text) + why);
  }
  double multiplier = 1;
  if (!suffix.empty()) {
    const char unit = Lower(suffix.front());
    const std::string_view tail = suffix.substr(1);
    const bool tail_ok =
        tail.empty() || EqualsIgnoreCase(tail, "b") || EqualsIgnoreCase(tail, "ib");
    const std::string units = "kmgtp";
    const auto pos = units.find(unit);
    if (EqualsIgnoreCase(suffix, "b")) {
      multiplier = 1;
    } else if (pos == std::string::npos || !tail_ok) {
      throw UsageError(Quote(option, text) + why);
    } else {
      multiplier = std::pow(1024.0, static_cast<double>(pos + 1));
    }
  }
  if (std::isnan(number) || number < 0 || std::signbit(number)) {
    throw UsageError(Quote(option, text) + " must not be negative");
  }
  const double bytes = number * multiplier;
  if (!std::isfinite(bytes) || bytes > static_cast<double>(max)) {
    throw UsageError(Quote(option, text) + " is too large (at most " +
                     FormatBytes(static_cast<double>(max)) + ")");
  }
  if (bytes != std::floor(bytes)) {
    throw UsageError(Quote(option, text) + " is not a whole number of bytes");
  }
  if (bytes == 0 && !allow_zero) throw UsageError(Quote(option, text) + " must be greater than 0");
  return static_cast<std::uint64_t>(bytes);
}

std::int64_t ParseInt(std::string_view text, std::string_view option, std::int64_t min,
                      std::int64_t max) {
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (begin != end && *begin == '+') ++begin;
  const auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec == std::errc::invalid_argument || ptr != end) {
    throw UsageError(Quote(option, text) + " is not a whole number");
  }
  if (ec == std::errc::result_out_of_range || value < min || value > max) {
    throw UsageError(fmt::format("{} is out of range ({} to {})", Quote(option, text), min, max));
  }
  return value;
}

double ParseSeconds(std::string_view text, std::string_view option, double min, double max) {
  double value = 0;
  std::string_view suffix;
  if (text.empty() || !ParseLeadingDouble(text, value, suffix)) {
    throw UsageError(Quote(option, text) + " is not a number of seconds");
  }
  if (suffix == "ms") {
    value /= 1000.0;
  } else if (!suffix.empty() && suffix != "s") {
    throw UsageError(Quote(option, text) + " is not a number of seconds");
  }
  if (!std::isfinite(value) || value < min || value > max) {
    throw UsageError(Quote(option, text) + " is out of range (" + FormatDouble(min) + " to " +
                     FormatDouble(max) + " s)");
  }
  return value;
}

std::string FormatBytes(double bytes) {
  static const char* const kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  int unit = 0;
  double value = bytes;
  while (std::fabs(value) >= 1024.0 && unit < 5) {
    value /= 1024.0;
    ++unit;
  }
  char buffer[64];
  if (value == std::floor(value)) {
    std::snprintf(buffer, sizeof buffer, "%.0f %s", value, kUnits[unit]);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g %s", value, kUnits[unit]);
  }
  return buffer;
}

std::string FormatDouble(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buffer[64];
  const auto [ptr, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, ec == std::errc() ? ptr : buffer);
}

std::string FormatHuman(double value) {
  if (!std::isfinite(value)) return FormatDouble(value);
  if (value == 0) return "0";
  const double magnitude = std::fabs(value);
  char buffer[64];
  if (magnitude >= 1e-3 && magnitude < 1e9) {
    const int digits = std::max(0, 3 - static_cast<int>(std::floor(std::log10(magnitude))));
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.4g", value);
  }
  return buffer;
}

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i != 0) joined += separator;
    joined += parts[i];
  }
  return joined;
}

std::vector<std::string> Split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto end = text.find(separator, start);
    const std::string_view part =
        text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    if (!part.empty()) parts.emplace_back(part);
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return parts;
}

}  // namespace sysbench
