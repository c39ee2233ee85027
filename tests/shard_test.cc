// The launcher-neutral shard contract, read from fixed environments.
#include "sysbench/shard.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <string>

#include "cli_test_util.h"
#include "report/results_reader.h"
#include "sysbench/error.h"

namespace sysbench {
namespace {

using Env = std::map<std::string, std::string>;

ShardInfo Read(const Env& env) {
  return ReadShard(
      [&env](const char* name) -> const char* {
        const auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
      },
      "host-a");
}

TEST(Shard, AloneWithoutALauncher) {
  const ShardInfo shard = Read({});
  EXPECT_EQ(shard.launcher, "none");
  EXPECT_FALSE(shard.Launched());
  EXPECT_EQ(shard.index, 0);
  EXPECT_EQ(shard.count, 1);
  EXPECT_EQ(shard.node, "host-a");
  EXPECT_EQ(shard.job_id, "");
}

TEST(Shard, SlurmStepRankNodeJobAndStep) {
  const ShardInfo shard = Read({{"SLURM_PROCID", "3"},
                                {"SLURM_NTASKS", "4"},
                                {"SLURMD_NODENAME", "n2"},
                                {"SLURM_JOB_ID", "71"},
                                {"SLURM_STEP_ID", "0"}});
  EXPECT_EQ(shard.launcher, "slurm-step");
  EXPECT_EQ(shard.index, 3);
  EXPECT_EQ(shard.count, 4);
  EXPECT_EQ(shard.node, "n2");
  EXPECT_EQ(shard.job_id, "71");
  EXPECT_EQ(shard.step_id, "0");
}

TEST(Shard, SlurmArrayTaskCountsFromTheArrayMinimumAndStep) {
  const ShardInfo shard = Read({{"SLURM_ARRAY_TASK_ID", "7"},
                                {"SLURM_ARRAY_TASK_MIN", "3"},
                                {"SLURM_ARRAY_TASK_STEP", "2"},
                                {"SLURM_ARRAY_TASK_COUNT", "4"},
                                {"SLURM_ARRAY_JOB_ID", "90"},
                                {"SLURM_JOB_ID", "93"},
                                {"SLURM_PROCID", "0"},
                                {"SLURM_NTASKS", "1"}});
  EXPECT_EQ(shard.launcher, "slurm-array");
  EXPECT_EQ(shard.index, 2);
  EXPECT_EQ(shard.count, 4);
  EXPECT_EQ(shard.job_id, "90");  // the array's job, shared by all its tasks
}

TEST(Shard, SlurmArrayTaskWithAMultiTaskStepComposesBoth) {
  const ShardInfo shard = Read({{"SLURM_ARRAY_TASK_ID", "1"},
                                {"SLURM_ARRAY_TASK_COUNT", "2"},
                                {"SLURM_STEP_ID", "0"},
                                {"SLURM_PROCID", "1"},
                                {"SLURM_NTASKS", "3"}});
  EXPECT_EQ(shard.index, 4);
  EXPECT_EQ(shard.count, 6);
}

TEST(Shard, SlurmArrayBatchStepIgnoresTheAllocationsTaskCount) {
  const ShardInfo shard = Read({{"SLURM_ARRAY_TASK_ID", "1"},
                                {"SLURM_ARRAY_TASK_COUNT", "2"},
                                {"SLURM_STEP_ID", "batch"},
                                {"SLURM_PROCID", "0"},
                                {"SLURM_NTASKS", "3"}});
  EXPECT_EQ(shard.index, 1);
  EXPECT_EQ(shard.count, 2);
}

TEST(Shard, KubernetesIndexedJobCountIsUnknownUnlessGiven) {
  ShardInfo shard = Read({{"JOB_COMPLETION_INDEX", "5"}, {"SYSBENCH_NODE", "worker-3"}});
  EXPECT_EQ(shard.launcher, "kubernetes");
  EXPECT_EQ(shard.index, 5);
  EXPECT_EQ(shard.count, 0);
  EXPECT_EQ(shard.node, "worker-3");
  shard = Read({{"JOB_COMPLETION_INDEX", "5"}, {"SYSBENCH_SHARD_COUNT", "8"}});
  EXPECT_EQ(shard.count, 8);
  EXPECT_EQ(shard.node, "host-a");
}

TEST(Shard, OpenMpiThenPmi) {
  ShardInfo shard = Read({{"OMPI_COMM_WORLD_RANK", "1"},
                          {"OMPI_COMM_WORLD_SIZE", "2"},
                          {"PMI_RANK", "0"},
                          {"PMI_SIZE", "9"}});
  EXPECT_EQ(shard.launcher, "openmpi");
  EXPECT_EQ(shard.index, 1);
  EXPECT_EQ(shard.count, 2);
  shard = Read({{"PMI_RANK", "8"}, {"PMI_SIZE", "9"}});
  EXPECT_EQ(shard.launcher, "pmi");
  EXPECT_EQ(shard.index, 8);
}

void ExpectBad(const Env& env, const std::string& mentions) {
  SCOPED_TRACE(mentions);
  try {
    Read(env);
    ADD_FAILURE() << "no error";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find(mentions), std::string::npos) << e.what();
  }
}

TEST(Shard, BadValuesNameTheVariable) {
  ExpectBad({{"SLURM_PROCID", "x"}}, "SLURM_PROCID 'x' is not a whole number");
  ExpectBad({{"SLURM_PROCID", "-1"}}, "SLURM_PROCID '-1' is out of range");
  ExpectBad({{"SLURM_PROCID", "2"}, {"SLURM_NTASKS", "2"}}, "index 2 from slurm-step");
  ExpectBad({{"SLURM_PROCID", "0"}, {"SLURM_NTASKS", "0"}}, "SLURM_NTASKS '0' is out of range");
  ExpectBad(
      {{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_MIN", "1"}, {"SLURM_ARRAY_TASK_STEP", "2"}},
      "not on the array's grid");
  ExpectBad({{"JOB_COMPLETION_INDEX", ""}}, "JOB_COMPLETION_INDEX '' is not a whole number");
  ExpectBad({{"PMI_RANK", "99999999999"}}, "PMI_RANK");
}

// The shard goes into the json context and comes back through the reader (old documents without
// it read as run alone on their host).
TEST(Shard, JsonContextCarriesTheShardAndReadsBack) {
  const std::string doc = R"({"schema_version": 1, "context": {"host": "h1", "shard":
      {"launcher": "slurm-array", "index": 3, "count": 4, "node": "n7", "job_id": "90",
       "step_id": "batch"}}, "results": []})";
  const ShardInfo s = report::ParseResultsDocument(doc, "doc.json").context.shard;
  EXPECT_EQ(s.launcher, "slurm-array");
  EXPECT_EQ(s.index, 3);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(s.node, "n7");
  EXPECT_EQ(s.job_id, "90");
  EXPECT_EQ(s.step_id, "batch");
  const ShardInfo old =
      report::ParseResultsDocument(
          R"({"schema_version": 1, "context": {"host": "h2"}, "results": []})", "old.json")
          .context.shard;
  EXPECT_FALSE(old.Launched());
  EXPECT_EQ(old.node, "h2");

  const testing::CliRun run = testing::RunSysbench({"-q", "--format", "json", "float-info"});
  ASSERT_EQ(run.code, 0) << run.err;
  const ShardInfo mine = report::ParseResultsDocument(run.out, "run").context.shard;
  EXPECT_EQ(mine.launcher, CurrentShard().launcher);
  EXPECT_EQ(mine.node, CurrentShard().node);
}

// The real binary in a child with a bad launcher value: one line, exit 2, nothing measured.
TEST(Shard, BinaryRefusesABadLauncherValueWithOneLine) {
  const std::string command = "SLURM_PROCID=bogus " + std::string(SYSBENCH_BINARY) +
                              " --quick --format json info 2>&1 >/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string err;
  char buffer[256];
  while (fgets(buffer, sizeof buffer, pipe) != nullptr) err += buffer;
  const int status = pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_EQ(testing::LineCount(err), 1) << err;
  EXPECT_NE(err.find("sysbench: environment SLURM_PROCID 'bogus' is not a whole number"),
            std::string::npos)
      << err;
}

}  // namespace
}  // namespace sysbench
