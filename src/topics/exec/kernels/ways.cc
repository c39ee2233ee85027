#include "topics/exec/kernels/ways.h"

namespace sysbench::kernels {
namespace {

double Eval(const Expr& expr, int index, const double* const* vars, std::size_t i) {
  const ExprNode& node = expr.nodes[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case NodeKind::kConst:
      return node.value;
    case NodeKind::kVar:
      return vars[node.var][i];
    case NodeKind::kAdd:
      return Eval(expr, node.left, vars, i) + Eval(expr, node.right, vars, i);
    case NodeKind::kSub:
      return Eval(expr, node.left, vars, i) - Eval(expr, node.right, vars, i);
    case NodeKind::kMul:
      return Eval(expr, node.left, vars, i) * Eval(expr, node.right, vars, i);
    case NodeKind::kDiv:
      return Eval(expr, node.left, vars, i) / Eval(expr, node.right, vars, i);
    case NodeKind::kNeg:
      return -Eval(expr, node.left, vars, i);
  }
  return 0;
}

// Post-order emission; depth is the stack height before this node runs.
bool Emit(const Expr& expr, int index, int depth, Bytecode* out) {
  const ExprNode& node = expr.nodes[static_cast<std::size_t>(index)];
  if (depth + 1 > kMaxVmStack) return false;
  if (depth + 1 > out->max_stack) out->max_stack = depth + 1;
  switch (node.kind) {
    case NodeKind::kConst:
      if (out->constants.size() >= 256) return false;
      out->code.push_back({Op::kConst, static_cast<std::uint8_t>(out->constants.size())});
      out->constants.push_back(node.value);
      return true;
    case NodeKind::kVar:
      out->code.push_back({Op::kLoad, static_cast<std::uint8_t>(node.var)});
      return true;
    case NodeKind::kNeg:
      if (!Emit(expr, node.left, depth, out)) return false;
      out->code.push_back({Op::kNeg, 0});
      return true;
    default:
      break;
  }
  if (!Emit(expr, node.left, depth, out) || !Emit(expr, node.right, depth + 1, out)) return false;
  const Op op = node.kind == NodeKind::kAdd   ? Op::kAdd
                : node.kind == NodeKind::kSub ? Op::kSub
                : node.kind == NodeKind::kMul ? Op::kMul
                                              : Op::kDiv;
  out->code.push_back({op, 0});
  return true;
}

bool Compile(const Expr& expr, Op end_of_body, Bytecode* out) {
  *out = Bytecode();
  if (expr.root < 0 || !Emit(expr, expr.root, 0, out)) {
    *out = Bytecode();
    return false;
  }
  out->code.push_back({end_of_body, 0});
  out->code.push_back({Op::kNext, 0});
  return true;
}

}  // namespace

void NativeUpdate(const ExecArrays& in, double* z) {
  const double* a = in.vars[0];
  const double* b = in.vars[1];
  const double* c = in.vars[2];
  for (std::size_t i = 0; i < in.n; ++i) z[i] = 2.0 * (a[i] - b[i]) + c[i];
}

double NativeSumOfSquares(const ExecArrays& in) {
  const double* x = in.vars[3];
  double sum = 0;
  for (std::size_t i = 0; i < in.n; ++i) sum += x[i] * x[i];
  return sum;
}

void TreeUpdate(const Expr& expr, const ExecArrays& in, double* z) {
  for (std::size_t i = 0; i < in.n; ++i) z[i] = Eval(expr, expr.root, in.vars, i);
}

double TreeSum(const Expr& expr, const ExecArrays& in) {
  double sum = 0;
  for (std::size_t i = 0; i < in.n; ++i) sum += Eval(expr, expr.root, in.vars, i);
  return sum;
}

bool CompileUpdate(const Expr& expr, Bytecode* out) { return Compile(expr, Op::kStore, out); }
bool CompileSum(const Expr& expr, Bytecode* out) { return Compile(expr, Op::kAccumulate, out); }

double RunVm(const Bytecode& program, const ExecArrays& in, double* z) {
  if (in.n == 0 || program.code.empty()) return 0;
  const Instr* code = program.code.data();
  const double* constants = program.constants.data();
  double stack[kMaxVmStack];
  int sp = 0;
  double acc = 0;
  std::size_t i = 0;
  std::size_t pc = 0;
  for (;;) {
    const Instr instr = code[pc++];
    switch (instr.op) {
      case Op::kLoad:
        stack[sp++] = in.vars[instr.arg][i];
        break;
      case Op::kConst:
        stack[sp++] = constants[instr.arg];
        break;
      case Op::kAdd:
        --sp;
        stack[sp - 1] = stack[sp - 1] + stack[sp];
        break;
      case Op::kSub:
        --sp;
        stack[sp - 1] = stack[sp - 1] - stack[sp];
        break;
      case Op::kMul:
        --sp;
        stack[sp - 1] = stack[sp - 1] * stack[sp];
        break;
      case Op::kDiv:
        --sp;
        stack[sp - 1] = stack[sp - 1] / stack[sp];
        break;
      case Op::kNeg:
        stack[sp - 1] = -stack[sp - 1];
        break;
      case Op::kStore:
        z[i] = stack[--sp];
        break;
      case Op::kAccumulate:
        acc += stack[--sp];
        break;
      case Op::kNext:
        if (++i == in.n) return acc;
        pc = 0;
        break;
    }
  }
}

double SequentialSum(const double* values, std::size_t n) {
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) sum += values[i];
  return sum;
}

}  // namespace sysbench::kernels
