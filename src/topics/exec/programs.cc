#include "topics/exec/programs.h"

#include "sysbench/error.h"

namespace sysbench {
namespace {

namespace k = kernels;

k::Expr ParseOption(const std::string& text, const std::string& option) {
  const k::ParseResult parsed = k::ParseExpr(text);
  if (!parsed.ok) {
    throw UsageError(option + " '" + text + "': " + parsed.error + " (at character " +
                     std::to_string(parsed.error_at + 1) + ")");
  }
  return parsed.expr;
}

}  // namespace

ExecData::ExecData(std::size_t n) : z(n) {
  const double divisors[k::kExprVars] = {7.0, 3.0, 11.0, 13.0};
  const std::size_t moduli[k::kExprVars] = {97, 89, 83, 101};
  for (int v = 0; v < k::kExprVars; ++v) {
    vars[v].resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      vars[v][i] = static_cast<double>(i % moduli[v]) / divisors[v];
    }
  }
}

k::ExecArrays ExecData::View() const {
  k::ExecArrays in;
  for (int v = 0; v < k::kExprVars; ++v) in.vars[v] = vars[v].data();
  in.n = z.size();
  return in;
}

Program MakeProgram(const std::string& name, const std::string& text, const std::string& option) {
  Program p;
  p.name = name;
  p.text = text;
  p.expr = ParseOption(text, option);
  const bool update = name == "update";
  p.native = k::SameExpr(p.expr, k::ParseExpr(update ? kSeedUpdate : kSeedSum).expr);
  const bool compiled =
      update ? k::CompileUpdate(p.expr, &p.bytecode) : k::CompileSum(p.expr, &p.bytecode);
  if (!compiled) throw UsageError(option + " '" + text + "': too large for the bytecode VM");
  return p;
}

double RunOnce(const Program& p, const std::string& way, ExecData& data) {
  const k::ExecArrays in = data.View();
  const bool update = p.name == "update";
  double* z = data.z.data();
  if (way == "native") {
    if (!update) return k::NativeSumOfSquares(in);
    k::NativeUpdate(in, z);
  } else if (way == "vm") {
    const double sum = k::RunVm(p.bytecode, in, z);
    if (!update) return sum;
  } else {
    if (!update) return k::TreeSum(p.expr, in);
    k::TreeUpdate(p.expr, in, z);
  }
  return z[in.n - 1];
}

double Checksum(const Program& p, const std::string& way, std::size_t n) {
  ExecData data(n);
  const double value = RunOnce(p, way, data);
  return p.name == "update" ? k::SequentialSum(data.z.data(), n) : value;
}

}  // namespace sysbench
