// The expressions `sysbench exec` runs three ways in-process: a parser into a small tree (the
// tree-walking interpreter's input and the bytecode compiler's), with the bounds that keep both
// finite. Variables are the four input arrays a, b, c and x, read at the current element.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace sysbench::kernels {

constexpr int kExprVars = 4;               // a, b, c, x
constexpr std::size_t kMaxExprText = 256;  // characters
constexpr std::size_t kMaxExprNodes = 64;  // constants, variables and operators
constexpr int kMaxExprDepth = 24;          // nesting, so the VM stack stays small

enum class NodeKind : std::uint8_t { kConst, kVar, kAdd, kSub, kMul, kDiv, kNeg };

struct ExprNode {
  NodeKind kind = NodeKind::kConst;
  int var = 0;       // kVar: 0..3 for a, b, c, x
  double value = 0;  // kConst
  int left = -1;     // operand (kNeg) or left operand
  int right = -1;
};

struct Expr {
  std::vector<ExprNode> nodes;
  int root = -1;
};

struct ParseResult {
  bool ok = false;
  Expr expr;
  std::size_t error_at = 0;     // character offset of the problem
  const char* error = nullptr;  // static text
};

// Grammar: sum := product (('+'|'-') product)*; product := unary (('*'|'/') unary)*;
// unary := '-' unary | number | a | b | c | x | '(' sum ')'. Numbers are finite decimals.
ParseResult ParseExpr(std::string_view text);

// The variable's letter (a, b, c, x).
char VarName(int var);
// Same tree shape, operators, variables and constants (bit for bit).
bool SameExpr(const Expr& left, const Expr& right);

}  // namespace sysbench::kernels
