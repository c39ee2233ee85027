// libFuzzer target: `sysbench exec`'s expression parser on arbitrary text; whatever parses must
// compile to bytecode within the VM's stack, and the VM and the tree interpreter must give the
// same bits on it.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "topics/exec/kernels/expr.h"
#include "topics/exec/kernels/ways.h"

namespace k = sysbench::kernels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const k::ParseResult parsed = k::ParseExpr(text);
  if (!parsed.ok) {
    if (parsed.error == nullptr || parsed.error_at > size) std::abort();
    return 0;
  }
  if (parsed.expr.nodes.size() > k::kMaxExprNodes) std::abort();
  k::Bytecode update, sum;
  if (!k::CompileUpdate(parsed.expr, &update) || !k::CompileSum(parsed.expr, &sum)) std::abort();
  const double values[k::kExprVars][3] = {{0, 1.5, -2}, {0, 3, 1e300}, {7, -0.0, 2}, {1, 2, 3}};
  k::ExecArrays in;
  for (int v = 0; v < k::kExprVars; ++v) in.vars[v] = values[v];
  in.n = 3;
  double tree[3], vm[3];
  k::TreeUpdate(parsed.expr, in, tree);
  k::RunVm(update, in, vm);
  if (std::memcmp(tree, vm, sizeof tree) != 0) std::abort();
  const double a = k::TreeSum(parsed.expr, in), b = k::RunVm(sum, in, nullptr);
  if (std::memcmp(&a, &b, sizeof a) != 0) std::abort();
  return 0;
}
