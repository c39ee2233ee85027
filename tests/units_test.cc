#include "sysbench/units.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "sysbench/error.h"

namespace sysbench {
namespace {

TEST(ParseSize, AcceptsBinarySuffixes) {
  EXPECT_EQ(ParseSize("4096", "--size"), 4096u);
  EXPECT_EQ(ParseSize("64K", "--size"), 64u * 1024);
  EXPECT_EQ(ParseSize("64KiB", "--size"), 64u * 1024);
  EXPECT_EQ(ParseSize("1m", "--size"), 1u << 20);
  EXPECT_EQ(ParseSize("2G", "--size"), 2ull << 30);
  EXPECT_EQ(ParseSize("1.5M", "--size"), 3u << 19);
  EXPECT_EQ(ParseSize("512B", "--size"), 512u);
}

TEST(ParseSize, RejectsBadInput) {
  for (const char* bad : {"-5", "0", "abc", "", "1e40", "10P", "12X", "1.5", "nan", "-0", "5 M"}) {
    EXPECT_THROW(ParseSize(bad, "--size"), UsageError) << bad;
  }
  EXPECT_EQ(ParseSize("0", "--size", 1024, true), 0u);
}

TEST(ParseSize, ErrorNamesTheOptionAndValue) {
  try {
    ParseSize("-5", "--size");
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("--size '-5'"), std::string::npos) << e.what();
  }
}

TEST(ParseInt, Range) {
  EXPECT_EQ(ParseInt("42", "--n", 1, 100), 42);
  EXPECT_THROW(ParseInt("0", "--n", 1, 100), UsageError);
  EXPECT_THROW(ParseInt("101", "--n", 1, 100), UsageError);
  EXPECT_THROW(ParseInt("4x", "--n", 1, 100), UsageError);
  EXPECT_THROW(ParseInt("99999999999999999999999", "--n", 1, 100), UsageError);
}

// The message of the UsageError `parse` throws ("" when it does not throw).
template <typename Fn>
std::string UsageMessage(Fn&& parse) {
  try {
    parse();
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseIntList, ListsAndRanges) {
  EXPECT_EQ(ParseIntList("1,2,4", "--threads", 1, 64), (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(ParseIntList("0-3", "--cpus", 0, 64), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(ParseIntList("1,4-5", "--cpus", 0, 64), (std::vector<std::int64_t>{1, 4, 5}));
  EXPECT_EQ(ParseIntList("7-7", "--cpus", 0, 64), (std::vector<std::int64_t>{7}));
  EXPECT_EQ(ParseIntList("4,1", "--threads", 1, 64), (std::vector<std::int64_t>{4, 1}));
  EXPECT_THROW(ParseIntList("3-1", "--cpus", 0, 64), UsageError);
  EXPECT_THROW(ParseIntList("", "--cpus", 0, 64), UsageError);
  EXPECT_THROW(ParseIntList("0", "--threads", 1, 64), UsageError);
  EXPECT_THROW(ParseIntList("1-65", "--threads", 1, 64), UsageError);
  EXPECT_THROW(ParseIntList("1-", "--threads", 1, 64), UsageError);
  EXPECT_THROW(ParseIntList("-", "--threads", 1, 64), UsageError);
}

TEST(ParseIntList, RangesEndingAtTheLimitsStop) {
  const std::int64_t top = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(ParseIntList("9223372036854775806-9223372036854775807", "--n", 0, top),
            (std::vector<std::int64_t>{top - 1, top}));
  EXPECT_THROW(ParseIntList("0-9223372036854775807", "--n", 0, top), UsageError);
}

TEST(Lists, EmptyItemsAreRejectedWithTheOptionName) {
  for (const char* bad : {"1,,2", "1,", ",1", ","}) {
    const std::string ints = UsageMessage([&] { ParseIntList(bad, "--threads", 1, 64); });
    EXPECT_NE(ints.find("--threads '"), std::string::npos) << bad << ": " << ints;
    EXPECT_NE(ints.find("empty item"), std::string::npos) << bad << ": " << ints;
    const std::string sizes = UsageMessage([&] { ParseSizeList(bad, "--buffers"); });
    EXPECT_NE(sizes.find("--buffers '"), std::string::npos) << bad << ": " << sizes;
    EXPECT_NE(sizes.find("empty item"), std::string::npos) << bad << ": " << sizes;
  }
  const std::string names = UsageMessage([] { ParseNameList("a,,b", "--op", {"a", "b"}); });
  EXPECT_EQ(names, "--op 'a,,b': has an empty item (write a list like a,b)");
  const std::string none = UsageMessage([] { ParseNameList("", "--op", {"a", "b"}); });
  EXPECT_EQ(none, "--op '': needs a list like a,b");
}

TEST(Lists, RepeatsAreRejectedAfterExpansion) {
  EXPECT_EQ(UsageMessage([] { ParseIntList("1-3,2", "--cpus", 0, 64); }),
            "--cpus '1-3,2': lists 2 more than once");
  EXPECT_EQ(UsageMessage([] { ParseSizeList("1K,1024", "--buffers"); }),
            "--buffers '1K,1024': lists 1024 B more than once");
  EXPECT_EQ(UsageMessage([] {
              ParseNameList("b,a,b", "--op", {"a", "b"});
            }),
            "--op 'b,a,b': lists 'b' more than once");
}

TEST(ParseSizeList, SizesInTheOrderGiven) {
  EXPECT_EQ(ParseSizeList("64K,4K,1M", "--buffers"),
            (std::vector<std::uint64_t>{64 << 10, 4 << 10, 1 << 20}));
  EXPECT_EQ(UsageMessage([] { ParseSizeList("4K,2G", "--buffers", std::uint64_t{1} << 30); }),
            "--buffers '2G' is too large (at most 1 GiB)");
  EXPECT_THROW(ParseSizeList("4K,0", "--buffers"), UsageError);
  EXPECT_THROW(ParseSizeList("4K-8K", "--buffers"), UsageError);  // no ranges of sizes
}

TEST(ParseSeconds, UnitsAndRange) {
  EXPECT_DOUBLE_EQ(ParseSeconds("0.5", "--min-time", 0, 10), 0.5);
  EXPECT_DOUBLE_EQ(ParseSeconds("20ms", "--min-time", 0, 10), 0.02);
  EXPECT_DOUBLE_EQ(ParseSeconds("2s", "--min-time", 0, 10), 2.0);
  EXPECT_THROW(ParseSeconds("-1", "--min-time", 0, 10), UsageError);
  EXPECT_THROW(ParseSeconds("1e40", "--min-time", 0, 10), UsageError);
  EXPECT_THROW(ParseSeconds("fast", "--min-time", 0, 10), UsageError);
}

TEST(ParseNameList, KnownNames) {
  EXPECT_EQ(ParseNameList("a,c", "--op", {"a", "b", "c"}), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(ParseNameList("c,a", "--op", {"a", "b", "c"}), (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(UsageMessage([] {
              ParseNameList("a,d", "--op", {"a", "b", "c"});
            }),
            "--op 'd': is not one of: a, b, c");
}

TEST(ParseNameList, AllStandsForEveryNameWhenAllowed) {
  const std::vector<std::string> allowed = {"x", "y", "z"};
  EXPECT_EQ(ParseNameList("all", "--scenario", allowed, ListAll::kYes), allowed);
  EXPECT_EQ(UsageMessage([&] { ParseNameList("all", "--scenario", allowed); }),
            "--scenario 'all': is not one of: x, y, z");
  EXPECT_EQ(UsageMessage([&] { ParseNameList("all,x", "--scenario", allowed, ListAll::kYes); }),
            "--scenario 'all,x': 'all' stands alone");
  EXPECT_EQ(UsageMessage([&] { ParseNameList("w", "--scenario", allowed, ListAll::kYes); }),
            "--scenario 'w': is not one of: x, y, z or all");
  EXPECT_EQ(NameListHelp(allowed), "x, y, z");
  EXPECT_EQ(NameListHelp(allowed, ListAll::kYes), "x, y, z or all");
}

TEST(Format, BytesAndNumbers) {
  EXPECT_EQ(FormatBytes(268435456), "256 MiB");
  EXPECT_EQ(FormatBytes(1536), "1.5 KiB");
  EXPECT_EQ(FormatDouble(0.1), "0.1");
  EXPECT_EQ(FormatDouble(2.220446049250313e-16), "2.220446049250313e-16");
  EXPECT_EQ(FormatDouble(1.0 / 0.0), "inf");
  EXPECT_EQ(FormatHuman(132.04567), "132.0");
  EXPECT_EQ(FormatHuman(0.0012344), "0.001234");
  EXPECT_EQ(FormatHuman(12345678.9), "12345679");
}

TEST(Split, DropsEmptyParts) {
  EXPECT_EQ(Split("a,,b,", ','), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(Join({"a", "b"}, ", "), "a, b");
}

}  // namespace
}  // namespace sysbench
