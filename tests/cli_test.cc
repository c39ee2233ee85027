// The command line in-process: options, formats, and every bad-input path (exit 2, one line).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

namespace fs = std::filesystem;

using testing::ExpectUsageError;

TEST(Cli, BadInputExitsTwoWithOneLine) {
  ExpectUsageError({"--bogus"}, "--bogus");
  ExpectUsageError({"bogus-command"}, "bogus-command");
  ExpectUsageError({"float-info", "--value", "abc"}, "'abc'");
  ExpectUsageError({"--format", "yaml", "float-info"}, "yaml");
  ExpectUsageError({"--repetitions", "0", "float-info"}, "--repetitions");
  ExpectUsageError({"--repetitions", "abc", "float-info"}, "--repetitions");
  ExpectUsageError({"--min-time", "-1", "float-info"}, "--min-time");
  ExpectUsageError({"--min-time", "1e40", "float-info"}, "--min-time");
  ExpectUsageError({"--warmup", "soon", "float-info"}, "--warmup");
  ExpectUsageError({"--cpus", "9999", "float-info"}, "--cpus");
  ExpectUsageError({"--cpus", "x", "float-info"}, "--cpus");
  ExpectUsageError({"--threads", "0", "float-info"}, "--threads");
  ExpectUsageError({"--threads", "100000", "float-info"}, "--threads");
  ExpectUsageError({}, "no subcommand");
}

// Every list option goes through one parser: empty and repeated items are refused before anything
// runs (`mmap --buffers 1,,2` used to read the whole file in 1-byte reads).
TEST(Cli, ListOptionsRefuseEmptyAndRepeatedItems) {
  ExpectUsageError({"mmap", "--buffers", "1,,2"}, "--buffers '1,,2': has an empty item");
  ExpectUsageError({"mmap", "--buffers", "4K,4096"}, "--buffers '4K,4096': lists 4096 B");
  ExpectUsageError({"mmap", "--scenario", "residency,"}, "--scenario 'residency,'");
  ExpectUsageError({"net", "--sizes", ",1"}, "--sizes ',1': has an empty item");
  ExpectUsageError({"layout", "--size", "4K,,8K"}, "--size '4K,,8K'");
  ExpectUsageError({"threads", "--scenario", "race,race"}, "lists 'race' more than once");
  ExpectUsageError({"threads", "--scenario", "all,race"}, "'all' stands alone");
  ExpectUsageError({"threads", "--lock", "mutex,,atomic"}, "--lock");
  for (const char* command : {"threads", "mmap", "layout"}) {
    ExpectUsageError({command, "--scenario", ""}, "--scenario '': needs a list");
  }
  ExpectUsageError({"bandwidth", "--kernels", "read,read"}, "--kernels");
  ExpectUsageError({"serialize", "--codec", "varint,"}, "--codec");
  ExpectUsageError({"--threads", "1,1", "float-info"}, "--threads '1,1': lists 1 more than once");
  ExpectUsageError({"--cpus", "0,,0", "float-info"}, "--cpus");
  ExpectUsageError({"all", "--only", "info,info"}, "--only");
}

TEST(Cli, HelpVersionAndListGoToStdout) {
  const CliRun help = RunSysbench({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--format"), std::string::npos);
  const CliRun sub_help = RunSysbench({"float-info", "--help"});
  EXPECT_EQ(sub_help.code, 0);
  EXPECT_NE(sub_help.out.find("--value"), std::string::npos);
  const CliRun version = RunSysbench({"--version"});
  EXPECT_EQ(version.code, 0);
  EXPECT_EQ(version.out.rfind("sysbench ", 0), 0u);
  const CliRun list = RunSysbench({"--list"});
  EXPECT_EQ(list.code, 0);
  EXPECT_NE(list.out.find("float-info\t"), std::string::npos);
  EXPECT_NE(list.out.find("info\t"), std::string::npos);
}

TEST(Cli, GlobalOptionsWorkAfterTheSubcommandToo) {
  const CliRun run = RunSysbench({"float-info", "--format", "json", "--quiet"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["results"][0]["command"], "float-info");
}

TEST(Cli, QuietSilencesStderrAndStdoutHasOnlyData) {
  const CliRun run = RunSysbench({"--format", "tsv", "float-info"});
  ASSERT_EQ(run.code, 0);
  EXPECT_EQ(run.out.find("sysbench:"), std::string::npos);
  EXPECT_EQ(run.out.find("warning"), std::string::npos);
  const CliRun quiet = RunSysbench({"--quiet", "--format", "tsv", "float-info"});
  EXPECT_EQ(quiet.err, "");
  EXPECT_EQ(quiet.out, run.out);
}

class OutputFileTest : public ::testing::Test {
 protected:
  std::size_t FilesInDir() const { return temp_.Files(); }
  TempDir temp_{"sysbench-cli-test"};
  const fs::path& dir_ = temp_.Path();
};

TEST_F(OutputFileTest, WritesTheFileAndNothingElse) {
  const fs::path target = dir_ / "out.json";
  const CliRun run = RunSysbench({"-q", "-o", target.string(), "--format", "json", "float-info"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(FilesInDir(), 1u);
  std::ifstream in(target);
  const auto doc = nlohmann::json::parse(in);
  EXPECT_GT(doc["results"].size(), 10u);
}

TEST_F(OutputFileTest, FailedRunLeavesNothingBehind) {
  const fs::path target = dir_ / "out.json";
  ExpectUsageError({"-o", target.string(), "float-info", "--value", "abc"}, "abc");
  EXPECT_EQ(FilesInDir(), 0u);
  ExpectUsageError({"-o", (dir_ / "no/such/dir/x.json").string(), "float-info"}, "No such file");
  ExpectUsageError({"-o", dir_.string(), "float-info"}, "directory");
  EXPECT_EQ(FilesInDir(), 0u);
}

// A device is written in place: renaming a temporary file over it would replace the device node
// when sysbench runs as root.
TEST_F(OutputFileTest, WritesADeviceInPlace) {
  struct stat before {};
  ASSERT_EQ(stat("/dev/null", &before), 0);
  const CliRun run = RunSysbench({"-q", "-o", "/dev/null", "--format", "json", "float-info"});
  ASSERT_EQ(run.code, 0) << run.err;
  struct stat after {};
  ASSERT_EQ(stat("/dev/null", &after), 0);
  EXPECT_TRUE(S_ISCHR(after.st_mode));
  EXPECT_EQ(after.st_rdev, before.st_rdev);
}

}  // namespace
}  // namespace sysbench::testing
