// A scenario table gives --scenario its names, help and validation.
#include "sysbench/scenario_table.h"

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "sysbench/error.h"

namespace sysbench {
namespace {

using Fn = int (*)();
int One() { return 1; }
int Two() { return 2; }

constexpr std::array<Scenario<Fn>, 2> kTable = {{
    {"one", "the first", One},
    {"two", "the second", Two},
}};

TEST(ScenarioTable, NamesAndHelpComeFromTheTable) {
  EXPECT_EQ(ScenarioNames(kTable), (std::vector<std::string>{"one", "two"}));
  EXPECT_EQ(ScenarioHelp(kTable),
            "one, two or all (default all):\n  one: the first\n  two: the second");
}

TEST(ScenarioTable, ChoosesInTheOrderGiven) {
  const auto all = ChooseScenarios("all", "--scenario", kTable);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]->run(), 1);
  EXPECT_EQ(all[1]->run(), 2);
  const auto some = ChooseScenarios("two,one", "--scenario", kTable);
  ASSERT_EQ(some.size(), 2u);
  EXPECT_EQ(some[0]->name, "two");
  EXPECT_EQ(some[1]->name, "one");
}

TEST(ScenarioTable, RejectsUnknownEmptyAndRepeatedNames) {
  for (const char* bad : {"", "three", "one,,two", "one,one", "all,one", ","}) {
    EXPECT_THROW(ChooseScenarios(bad, "--scenario", kTable), UsageError) << bad;
  }
}

}  // namespace
}  // namespace sysbench
