// The two programs of `sysbench exec` and their inputs, and one pass of an in-process way over
// them: what the command times and what its bit-for-bit check compares.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "topics/exec/kernels/expr.h"
#include "topics/exec/kernels/ways.h"

namespace sysbench {

inline constexpr const char* kSeedUpdate = "2 * (a - b) + c";
inline constexpr const char* kSeedSum = "x * x";

// The inputs, the same formulas as the Python script's (python_way.cc): exact on both sides.
struct ExecData {
  std::vector<double> vars[kernels::kExprVars];
  std::vector<double> z;

  explicit ExecData(std::size_t n);
  kernels::ExecArrays View() const;
};

struct Program {
  std::string name;  // "update" or "sum"
  std::string text;  // as the user wrote it
  kernels::Expr expr;
  bool native = false;  // the expression is the seed's, which the compiled code computes
  kernels::Bytecode bytecode;
};

// Parses and compiles `text` for the program `name`; throws UsageError naming `option`.
Program MakeProgram(const std::string& name, const std::string& text, const std::string& option);

// One pass of `way` ("native", "vm" or "tree") over the data; returns a value that depends on all
// of it being done.
double RunOnce(const Program& p, const std::string& way, ExecData& data);

// The value every way is compared on: the sum itself, or z summed left to right.
double Checksum(const Program& p, const std::string& way, std::size_t n);

}  // namespace sysbench
