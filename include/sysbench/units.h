// Parsing user input (sizes, counts, lists, durations) and formatting numbers for people.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sysbench {

// "4096", "64K", "64KiB", "1M", "2G", "1.5M": binary multiples (K = 1024). Throws UsageError naming
// `option` for negatives, zero (unless allow_zero), non-numbers, and values above `max`.
std::uint64_t ParseSize(std::string_view text, std::string_view option,
                        std::uint64_t max = std::uint64_t{1} << 50, bool allow_zero = false);

// A whole number in [min, max]; throws UsageError naming `option` otherwise.
std::int64_t ParseInt(std::string_view text, std::string_view option, std::int64_t min,
                      std::int64_t max);

// A finite number in [min, max]; accepts "0.5", "1e-3", and with a trailing "s" or "ms" for times.
double ParseSeconds(std::string_view text, std::string_view option, double min, double max);

// "1,2,4", "0-3", "1,4-6": each number in [min, max], duplicates kept in order. Throws UsageError.
std::vector<std::int64_t> ParseIntList(std::string_view text, std::string_view option,
                                       std::int64_t min, std::int64_t max);

// "a,b,c" against the allowed names; "all" (if allowed contains it) is not expanded here.
std::vector<std::string> ParseNameList(std::string_view text, std::string_view option,
                                       const std::vector<std::string>& allowed);

// 268435456 -> "256 MiB", 1500 -> "1.46 KiB"; exact multiples are shown without decimals.
std::string FormatBytes(double bytes);
// Shortest round-trip decimal form of a double ("0.1", "2.220446049250313e-16", "inf", "nan").
std::string FormatDouble(double value);
// A value for people: 4 significant digits, no exponent between 1e-3 and 1e9.
std::string FormatHuman(double value);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::vector<std::string> Split(std::string_view text, char separator);

}  // namespace sysbench
