// ReadInputFile: regular files under a size limit only, with the reason in the error.
#include "core/input_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "cli_test_util.h"
#include "sysbench/error.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

std::string MessageOf(const std::string& path, std::uint64_t max_bytes = kMaxInputFileBytes) {
  try {
    ReadInputFile(path, max_bytes);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

TEST(InputFile, ReadsARegularFileWhole) {
  const TempDir dir("sysbench-input");
  const std::string path = (dir / "run.json").string();
  std::ofstream(path) << std::string(10000, 'x') << "end";
  EXPECT_EQ(ReadInputFile(path), std::string(10000, 'x') + "end");
  std::ofstream(path, std::ios::trunc).flush();
  EXPECT_EQ(ReadInputFile(path), "");
}

TEST(InputFile, RejectsWhatIsNotARegularFileWithTheReason) {
  const TempDir dir("sysbench-input");
  EXPECT_NE(MessageOf("/dev/zero").find("not a regular file"), std::string::npos);
  EXPECT_NE(MessageOf(dir.Str()).find("is a directory"), std::string::npos);
  EXPECT_NE(MessageOf((dir / "missing").string()).find("No such file"), std::string::npos);
  EXPECT_NE(MessageOf("").find("empty"), std::string::npos);
  const std::string fifo = (dir / "fifo").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  EXPECT_NE(MessageOf(fifo).find("not a regular file"), std::string::npos);  // and no wait
}

TEST(InputFile, RejectsAFileOverTheLimitNamingTheLimit) {
  const TempDir dir("sysbench-input");
  const std::string path = (dir / "big.json").string();
  std::ofstream(path) << std::string(2048, 'x');
  EXPECT_EQ(ReadInputFile(path, 2048).size(), 2048u);
  const std::string message = MessageOf(path, 1024);
  EXPECT_EQ(message.rfind("cannot read '" + path + "': ", 0), 0u) << message;
  EXPECT_NE(message.find("limit of 1 KiB"), std::string::npos) << message;
}

TEST(InputFile, CommandsThatReadFilesRejectDevicesAtOnce) {
  ExpectUsageError({"all", "--baseline", "/dev/zero"}, "not a regular file");
  ExpectUsageError({"report", "/dev/zero"}, "not a regular file");
  ExpectUsageError({"compare", "/dev/zero", "/dev/zero"}, "not a regular file");
}

}  // namespace
}  // namespace sysbench::testing
