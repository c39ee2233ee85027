// Runs the CLI in-process and captures what it wrote, for tests of options and formats.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "sysbench/cli.h"

namespace sysbench::testing {

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

// RunSysbench({"--format", "json", "info"}): the program name is added in front.
inline CliRun RunSysbench(std::vector<std::string> args) {
  args.insert(args.begin(), "sysbench");
  std::ostringstream out, err;
  CliRun run;
  run.code = RunCli(args, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

// Number of lines in `text` (a final line without '\n' counts).
inline int LineCount(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines + (!text.empty() && text.back() != '\n');
}

// Bad input: exit 2, nothing on stdout, one "sysbench: ..." line on stderr that mentions
// `mentions`.
inline void ExpectUsageError(const std::vector<std::string>& args, const std::string& mentions) {
  const CliRun run = RunSysbench(args);
  SCOPED_TRACE(::testing::PrintToString(args));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(LineCount(run.err), 1) << run.err;
  EXPECT_EQ(run.err.rfind("sysbench: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find(mentions), std::string::npos) << run.err;
}

}  // namespace sysbench::testing
