// net pairs: the schedule, the file rendezvous, and two tasks measuring each other on loopback.
#include "topics/net/pairs.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_test_util.h"
#include "sysbench/error.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

TEST(NetPairs, ScheduleCoversEveryPairOnceWithoutSharingATaskInARound) {
  for (int n = 2; n <= 9; ++n) {
    SCOPED_TRACE(n);
    const auto rounds = net::PairSchedule(n);
    EXPECT_EQ(rounds.size(), static_cast<std::size_t>(n % 2 == 0 ? n - 1 : n));
    std::set<std::pair<int, int>> seen;
    for (const auto& round : rounds) {
      std::set<int> busy;
      for (const auto& [a, b] : round) {
        EXPECT_LT(a, b);
        EXPECT_GE(a, 0);
        EXPECT_LT(b, n);
        EXPECT_TRUE(busy.insert(a).second);
        EXPECT_TRUE(busy.insert(b).second);
        EXPECT_TRUE(seen.emplace(a, b).second);
      }
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(n * (n - 1) / 2));
  }
  EXPECT_TRUE(net::PairSchedule(1).empty());
}

TEST(NetPairs, RendezvousReadsWhatOthersPublishAndGivesUpOnTheAbsent) {
  TempDir dir("sysbench-pairs");
  net::Rendezvous zero(dir.Str(), 0, 3, 0.2);
  net::Rendezvous one(dir.Str(), 1, 3, 0.2);
  one.Publish("addr", "7001");
  EXPECT_EQ(zero.WaitFor("addr", 1), "7001");
  EXPECT_FALSE(zero.WaitFor("addr", 2).has_value());
  one.Publish("round0", "ok");
  EXPECT_EQ(zero.Barrier("round0"), std::vector<int>{2});  // task 2 never came
  EXPECT_TRUE(one.Published("addr"));
  EXPECT_FALSE(zero.Published("addr"));
  EXPECT_THROW(net::Rendezvous((dir / "missing").string(), 0, 2, 1), UsageError);
}

TEST(NetPairs, NeedsALauncherWithTwoTasks) {
  TempDir dir("sysbench-pairs");
  // In-process: CurrentShard is read once per process; the test binary runs without a launcher.
  if (std::getenv("SLURM_PROCID") == nullptr) {
    ExpectUsageError({"net", "pairs", "--dir", dir.Str()}, "needs a launcher with 2 or more");
  }
}

// Two tasks of one "job" on loopback, as srun -n2 would start them.
TEST(NetPairs, TwoTasksMeasureEachOtherOnLoopback) {
  TempDir dir("sysbench-pairs");
  const std::string task = fmt::format(
      "SLURM_JOB_ID=t1 SLURM_NTASKS=2 SLURM_PROCID={{0}} {} --quick -q --format json -o "
      "{}/out{{0}}.json net --proto tcp --test rtt --sizes 64 --count 50 pairs --dir {} "
      "--pair-timeout 20",
      SYSBENCH_BINARY, dir.Str(), dir.Str());
  const std::string command = "(" + fmt::format(fmt::runtime(task), 1) + ") & " +
                              fmt::format(fmt::runtime(task), 0) + "; a=$?; wait $!; b=$?; " +
                              "exit $((a + b))";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  ASSERT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(dir / "out0.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["results"].size(), 1u);
  const nlohmann::json& r = doc["results"][0];
  EXPECT_EQ(r["case"], "pair=0-1/tcp/rtt/size=64");
  EXPECT_EQ(r["params"]["from"], "0");
  EXPECT_EQ(r["params"]["to"], "1");
  EXPECT_FALSE(r.contains("skipped"));
  EXPECT_GT(r["metrics"][0]["value"].get<double>(), 0);
  EXPECT_EQ(doc["context"]["shard"]["index"], 0);
  std::ifstream in1(dir / "out1.json");
  EXPECT_EQ(nlohmann::json::parse(in1)["results"].size(), 0u);  // task 1 only served
  // The same job again in the same folder would read stale ports: refused, exit 2.
  const int again = std::system((fmt::format(fmt::runtime(task), 0) + " 2>/dev/null").c_str());
  ASSERT_TRUE(WIFEXITED(again));
  EXPECT_EQ(WEXITSTATUS(again), 2);
}

TEST(NetPairs, ADeadPeerFailsItsPairNotTheTask) {
  TempDir dir("sysbench-pairs");
  const std::string command = fmt::format(
      "SLURM_JOB_ID=t2 SLURM_NTASKS=2 SLURM_PROCID=0 {} --quick -q --format json -o {}/out.json "
      "net --proto tcp --test rtt --sizes 64 pairs --dir {} --pair-timeout 0.3",
      SYSBENCH_BINARY, dir.Str(), dir.Str());
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  std::ifstream in(dir / "out.json");
  const nlohmann::json doc = nlohmann::json::parse(in);
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["case"], "pair=0-1");
  EXPECT_NE(doc["results"][0]["skipped"].get<std::string>().find("did not publish"),
            std::string::npos);
}

}  // namespace
}  // namespace sysbench::testing
