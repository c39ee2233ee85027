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

// Lists (src/core/list_parse.cc): items separated by commas. Every list parser throws UsageError
// naming `option` and the text for an empty list, an empty item ("1,,2", "1,", ",1") and an item
// given twice (after ranges and "all" are expanded), so no caller checks those again.

// "1,2,4", "0-3", "1,4-6": each number in [min, max]; a range a-b (a <= b) stands for a, ..., b.
std::vector<std::int64_t> ParseIntList(std::string_view text, std::string_view option,
                                       std::int64_t min, std::int64_t max);

// "4K,64K,1M": each item a size as ParseSize reads it (no zero), at most `max`; in the order given.
std::vector<std::uint64_t> ParseSizeList(std::string_view text, std::string_view option,
                                         std::uint64_t max = std::uint64_t{1} << 50);

// Whether a name list takes "all" for every allowed name.
enum class ListAll { kNo, kYes };

// "a,c" against `allowed`, in the order given. With ListAll::kYes, "all" (alone) stands for every
// allowed name in `allowed`'s order; `allowed` itself never lists "all".
std::vector<std::string> ParseNameList(std::string_view text, std::string_view option,
                                       const std::vector<std::string>& allowed,
                                       ListAll all = ListAll::kNo);

// Help text for a name list option: "a, b, c" (ListAll::kNo) or "a, b, c or all".
std::string NameListHelp(const std::vector<std::string>& allowed, ListAll all = ListAll::kNo);

// 268435456 -> "256 MiB", 1500 -> "1.46 KiB"; exact multiples are shown without decimals.
std::string FormatBytes(double bytes);
// Shortest round-trip decimal form of a double ("0.1", "2.220446049250313e-16", "inf", "nan").
std::string FormatDouble(double value);
// A value for people: 4 significant digits, no exponent between 1e-3 and 1e9.
std::string FormatHuman(double value);

std::string Join(const std::vector<std::string>& parts, std::string_view separator);
std::vector<std::string> Split(std::string_view text, char separator);

}  // namespace sysbench
