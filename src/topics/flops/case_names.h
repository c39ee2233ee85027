// The names flops gives its instruction sets, data types and operations, in options and in case
// ids ("fma/f64/avx512/threads=1"), and the parse of a case id back into them: recorded runs
// (tests/data/machines) are read by the same names the command writes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "topics/flops/kernels/flops.h"

namespace sysbench {

template <typename E>
using NameTable = std::vector<std::pair<std::string, E>>;

const NameTable<kernels::FlopsIsa>& FlopsIsaNames();
const NameTable<kernels::FlopsType>& FlopsTypeNames();
const NameTable<kernels::FlopsOp>& FlopsOpNames();

template <typename E>
std::vector<std::string> Names(const NameTable<E>& table) {
  std::vector<std::string> names;
  for (const auto& [name, value] : table) names.push_back(name);
  return names;
}

template <typename E>
const std::string& NameOf(const NameTable<E>& table, E value) {
  for (const auto& entry : table) {
    if (entry.second == value) return entry.first;
  }
  return table.front().first;
}

template <typename E>
std::optional<E> ValueOf(const NameTable<E>& table, std::string_view name) {
  for (const auto& [entry_name, value] : table) {
    if (name == entry_name) return value;
  }
  return std::nullopt;
}

struct FlopsCaseId {
  kernels::FlopsOp op;
  kernels::FlopsType type;
  kernels::FlopsIsa isa;
  int threads;
};

// "OP/DTYPE/ISA/threads=N" as FlopsCaseName writes it; nullopt for anything else (the summary,
// clock and gpu rows).
std::optional<FlopsCaseId> ParseFlopsCaseId(std::string_view id);
std::string FlopsCaseName(const FlopsCaseId& id);

}  // namespace sysbench
