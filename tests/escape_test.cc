// One escaping per text format (report/escape.h), used by the reporters and compare.
#include "report/escape.h"

#include <gtest/gtest.h>

namespace sysbench::report {
namespace {

TEST(Escape, TsvTurnsTabsAndLineBreaksIntoSpaces) {
  EXPECT_EQ(TsvField("a\tb\nc\rd"), "a b c d");
  EXPECT_EQ(TsvField("plain, \"text\""), "plain, \"text\"");
}

TEST(Escape, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain text"), "plain text");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(DelimitedField("a,b\tc", ','), "\"a,b\tc\"");
  EXPECT_EQ(DelimitedField("a,b\tc", '\t'), "a,b c");
}

TEST(Escape, MarkdownCellKeepsTheTableShape) {
  EXPECT_EQ(MarkdownCell("a|b\nc"), "a\\|b c");
  EXPECT_EQ(MarkdownCell("plain"), "plain");
}

TEST(Escape, XmlEntities) {
  EXPECT_EQ(XmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

}  // namespace
}  // namespace sysbench::report
