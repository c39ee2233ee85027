// Runs the built binary the way users do: every format, parsed back with a real parser, and
// stdout carrying data only.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

struct Output {
  int code = -1;
  std::string out;
};

// Runs `args` with the binary; stderr goes to /dev/null so only stdout is captured.
Output RunBinary(const std::string& args) {
  const std::string command = std::string(SYSBENCH_BINARY) + " " + args + " 2>/dev/null";
  Output result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buffer;
  std::size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

TEST(Smoke, JsonParsesAndCarriesContext) {
  const Output run = RunBinary("--quick --format json info");
  ASSERT_EQ(run.code, 0);
  const auto doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_GT(doc["context"]["measured_clock_ghz"].get<double>(), 0.1);
  EXPECT_FALSE(doc["context"]["cpu_model"].get<std::string>().empty());
  bool found_clock = false;
  for (const auto& r : doc["results"]) {
    if (r["case"] == "clock") {
      found_clock = true;
      EXPECT_EQ(r["metrics"][0]["name"], "core_clock_ghz");
      EXPECT_EQ(r["metrics"][0]["source"], "measured");
      EXPECT_EQ(r["samples"].size(), 3u);  // --quick: 3 repetitions
    }
  }
  EXPECT_TRUE(found_clock);
}

TEST(Smoke, JsonLinesParseLineByLine) {
  const Output run = RunBinary("--format jsonl float-info");
  ASSERT_EQ(run.code, 0);
  std::istringstream in(run.out);
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    EXPECT_TRUE(nlohmann::json::accept(line)) << line;
    ++lines;
  }
  EXPECT_GT(lines, 15);
}

TEST(Smoke, EveryFormatWritesOnlyData) {
  for (const char* format : {"text", "tsv", "csv", "json", "jsonl", "markdown"}) {
    const Output run = RunBinary(std::string("--format ") + format + " float-info");
    SCOPED_TRACE(format);
    EXPECT_EQ(run.code, 0);
    EXPECT_FALSE(run.out.empty());
    EXPECT_EQ(run.out.find("sysbench: "), std::string::npos);
    EXPECT_EQ(run.out.find("warning:"), std::string::npos);
  }
}

TEST(Smoke, BadInputExitsTwo) {
  EXPECT_EQ(RunBinary("--bogus").code, 2);
  EXPECT_EQ(RunBinary("float-info --value abc").code, 2);
  EXPECT_EQ(RunBinary("-o /no/such/dir/x.json float-info").code, 2);
}

}  // namespace
