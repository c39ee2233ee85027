#include "topics/flops/case_names.h"

#include <fmt/format.h>

#include <charconv>

namespace sysbench {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsType;

const NameTable<FlopsIsa>& FlopsIsaNames() {
  static const NameTable<FlopsIsa> table = {{"scalar", FlopsIsa::kScalar},
                                            {"sse", FlopsIsa::kSse},
                                            {"avx2", FlopsIsa::kAvx2},
                                            {"avx512", FlopsIsa::kAvx512},
                                            {"amx", FlopsIsa::kAmx}};
  return table;
}

const NameTable<FlopsType>& FlopsTypeNames() {
  static const NameTable<FlopsType> table = {
      {"f64", FlopsType::kF64},    {"f32", FlopsType::kF32},   {"bf16", FlopsType::kBf16},
      {"f16", FlopsType::kF16},    {"int8", FlopsType::kInt8}, {"int16", FlopsType::kInt16},
      {"int32", FlopsType::kInt32}};
  return table;
}

const NameTable<FlopsOp>& FlopsOpNames() {
  static const NameTable<FlopsOp> table = {{"fma", FlopsOp::kFma},
                                           {"mul+add", FlopsOp::kMulAdd},
                                           {"mul", FlopsOp::kMul},
                                           {"add", FlopsOp::kAdd}};
  return table;
}

std::optional<FlopsCaseId> ParseFlopsCaseId(std::string_view id) {
  std::string_view parts[4];
  for (int i = 0; i < 3; ++i) {
    const std::size_t slash = id.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    parts[i] = id.substr(0, slash);
    id.remove_prefix(slash + 1);
  }
  parts[3] = id;
  constexpr std::string_view kThreads = "threads=";
  if (parts[3].substr(0, kThreads.size()) != kThreads) return std::nullopt;
  const std::string_view count = parts[3].substr(kThreads.size());
  int threads = 0;
  const auto [end, error] = std::from_chars(count.data(), count.data() + count.size(), threads);
  if (error != std::errc() || end != count.data() + count.size() || threads < 1) {
    return std::nullopt;
  }
  const auto op = ValueOf(FlopsOpNames(), parts[0]);
  const auto type = ValueOf(FlopsTypeNames(), parts[1]);
  const auto isa = ValueOf(FlopsIsaNames(), parts[2]);
  if (!op || !type || !isa) return std::nullopt;
  return FlopsCaseId{*op, *type, *isa, threads};
}

std::string FlopsCaseName(const FlopsCaseId& id) {
  return fmt::format("{}/{}/{}/threads={}", NameOf(FlopsOpNames(), id.op),
                     NameOf(FlopsTypeNames(), id.type), NameOf(FlopsIsaNames(), id.isa),
                     id.threads);
}

}  // namespace sysbench
