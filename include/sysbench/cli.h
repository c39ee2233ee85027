// The command line: parse, validate, run one command, report. Exit codes: 0 ok, 1 regression
// (compare), 2 usage or runtime error with one "sysbench: ..." line on `err`.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace sysbench {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRegression = 1;
inline constexpr int kExitError = 2;

// args[0] is the program name. Data goes to `out` (or --output), everything else to `err`.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace sysbench
