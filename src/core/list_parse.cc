// The list parsers of units.h: one place that splits on commas, rejects empty and repeated items,
// expands ranges and "all", and names the option in every error.
#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

// Items expanded from one list at most (ranges included): more is a typo, not a plan.
constexpr std::size_t kMaxListItems = 100000;

UsageError ListError(std::string_view option, std::string_view text, std::string_view why) {
  return UsageError(fmt::format("{} '{}': {}", option, text, why));
}

// The comma-separated items of `text`; throws for an empty list or an empty item.
std::vector<std::string_view> Items(std::string_view text, std::string_view option,
                                    std::string_view example) {
  if (text.empty()) throw ListError(option, text, fmt::format("needs a list like {}", example));
  std::vector<std::string_view> items;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item = text.substr(start, comma - start);
    if (item.empty()) {
      throw ListError(option, text,
                      fmt::format("has an empty item (write a list like {})", example));
    }
    items.push_back(item);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return items;
}

// The smallest value that appears more than once, if any.
template <typename T>
std::optional<T> FirstRepeat(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  const auto repeat = std::adjacent_find(values.begin(), values.end());
  if (repeat == values.end()) return std::nullopt;
  return *repeat;
}

UsageError TooMany(std::string_view option, std::string_view text) {
  return ListError(option, text, fmt::format("has more than {} items", kMaxListItems));
}

void CheckCount(std::size_t count, std::string_view option, std::string_view text) {
  if (count > kMaxListItems) throw TooMany(option, text);
}

}  // namespace

std::vector<std::int64_t> ParseIntList(std::string_view text, std::string_view option,
                                       std::int64_t min, std::int64_t max) {
  std::vector<std::int64_t> values;
  for (const std::string_view item : Items(text, option, "1,2,4 or 0-3")) {
    const auto dash = item.find('-', 1);  // a leading '-' is a sign, not a range
    if (dash == std::string_view::npos) {
      values.push_back(ParseInt(item, option, min, max));
      continue;
    }
    const std::int64_t first = ParseInt(item.substr(0, dash), option, min, max);
    const std::int64_t last = ParseInt(item.substr(dash + 1), option, min, max);
    if (last < first) throw ListError(option, item, "is an empty range (write low-high)");
    // Both ends are in [min, max], so the width fits an unsigned 64-bit number; the range holds
    // width + 1 items, checked before any is added.
    const auto width = static_cast<std::uint64_t>(last) - static_cast<std::uint64_t>(first);
    CheckCount(values.size(), option, text);
    if (width >= kMaxListItems - values.size()) throw TooMany(option, text);
    for (std::int64_t v = first;; ++v) {
      values.push_back(v);
      if (v == last) break;
    }
  }
  CheckCount(values.size(), option, text);
  if (const auto repeat = FirstRepeat(values)) {
    throw ListError(option, text, fmt::format("lists {} more than once", *repeat));
  }
  return values;
}

std::vector<std::uint64_t> ParseSizeList(std::string_view text, std::string_view option,
                                         std::uint64_t max) {
  std::vector<std::uint64_t> sizes;
  const std::vector<std::string_view> items = Items(text, option, "4K,64K,1M");
  CheckCount(items.size(), option, text);
  for (const std::string_view item : items) sizes.push_back(ParseSize(item, option, max));
  if (const auto repeat = FirstRepeat(sizes)) {
    throw ListError(option, text, fmt::format("lists {} B more than once", *repeat));
  }
  return sizes;
}

std::vector<std::string> ParseNameList(std::string_view text, std::string_view option,
                                       const std::vector<std::string>& allowed, ListAll all) {
  const std::string example =
      allowed.size() > 1 ? allowed[0] + "," + allowed[1] : Join(allowed, ",");
  const std::vector<std::string_view> items = Items(text, option, example);
  if (all == ListAll::kYes && std::find(items.begin(), items.end(), "all") != items.end()) {
    if (items.size() > 1) throw ListError(option, text, "'all' stands alone");
    return allowed;
  }
  CheckCount(items.size(), option, text);
  std::vector<std::string> names;
  for (const std::string_view item : items) {
    if (std::find(allowed.begin(), allowed.end(), item) == allowed.end()) {
      throw ListError(option, item, fmt::format("is not one of: {}", NameListHelp(allowed, all)));
    }
    names.emplace_back(item);
  }
  if (const auto repeat = FirstRepeat(names)) {
    throw ListError(option, text, fmt::format("lists '{}' more than once", *repeat));
  }
  return names;
}

std::string NameListHelp(const std::vector<std::string>& allowed, ListAll all) {
  const std::string names = Join(allowed, ", ");
  return all == ListAll::kYes ? names + " or all" : names;
}

}  // namespace sysbench
