#include "sysbench/stats.h"

#include <gtest/gtest.h>

#include <vector>

namespace sysbench {
namespace {

TEST(Stats, EmptyInputGivesZeros) {
  const Summary s = Summarize({});
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.median, 0.0);
}

}  // namespace
}  // namespace sysbench
