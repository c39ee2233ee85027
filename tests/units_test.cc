#include "sysbench/units.h"

#include <gtest/gtest.h>

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

TEST(ParseIntList, ListsAndRanges) {
  EXPECT_EQ(ParseIntList("1,2,4", "--threads", 1, 64), (std::vector<std::int64_t>{1, 2, 4}));
  EXPECT_EQ(ParseIntList("0-3", "--cpus", 0, 64), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(ParseIntList("1,4-5", "--cpus", 0, 64), (std::vector<std::int64_t>{1, 4, 5}));
  EXPECT_THROW(ParseIntList("3-1", "--cpus", 0, 64), UsageError);
  EXPECT_THROW(ParseIntList("", "--cpus", 0, 64), UsageError);
  EXPECT_THROW(ParseIntList("0", "--threads", 1, 64), UsageError);
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
  EXPECT_THROW(ParseNameList("a,d", "--op", {"a", "b", "c"}), UsageError);
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
