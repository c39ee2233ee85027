// The same two loops run three ways in-process: compiled C++, a stack bytecode VM, and a
// tree-walking interpreter. "update" is z[i] = expr(a[i], b[i], c[i], x[i]); "sum" adds expr over
// the elements, left to right. The VM and the tree evaluate the parsed expression exactly as
// written (no folding, no reordering), so all ways give the same bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "topics/exec/kernels/expr.h"

namespace sysbench::kernels {

// The four input arrays, indexed by the variable number of expr.h (a, b, c, x).
struct ExecArrays {
  const double* vars[kExprVars] = {};
  std::size_t n = 0;
};

// Compiled C++ for the seed's program only: z = 2 * (a - b) + c, and the sum of x * x.
void NativeUpdate(const ExecArrays& in, double* z);
double NativeSumOfSquares(const ExecArrays& in);

// Tree-walking interpreter: recursion over the nodes for every element.
void TreeUpdate(const Expr& expr, const ExecArrays& in, double* z);
double TreeSum(const Expr& expr, const ExecArrays& in);

// Stack bytecode: one byte of opcode and one of operand. The loop itself is bytecode too: kStore
// or kAccumulate ends the body, kNext moves to the next element and jumps back.
enum class Op : std::uint8_t {
  kLoad,
  kConst,
  kAdd,
  kSub,
  kMul,
  kDiv,
  kNeg,
  kStore,
  kAccumulate,
  kNext
};

struct Instr {
  Op op;
  std::uint8_t arg;
};

constexpr int kMaxVmStack = 32;

struct Bytecode {
  std::vector<Instr> code;
  std::vector<double> constants;
  int max_stack = 0;
};

// False (and an empty program) when the expression needs more than kMaxVmStack slots or more
// than 256 constants; ParseExpr's bounds keep both from happening.
bool CompileUpdate(const Expr& expr, Bytecode* out);
bool CompileSum(const Expr& expr, Bytecode* out);
// Runs a compiled program over in.n elements; z is written by update programs (may be null for
// sum programs). Returns the accumulator (0 for update programs).
double RunVm(const Bytecode& program, const ExecArrays& in, double* z);

// Left-to-right sum, the checksum every way is compared on.
double SequentialSum(const double* values, std::size_t n);

}  // namespace sysbench::kernels
