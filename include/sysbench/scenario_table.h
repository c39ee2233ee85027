// A topic's scenarios as one table (name, one-line purpose, function), from which --scenario's
// list, help and validation are derived, so no list is kept in step with a dispatch chain by hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sysbench/units.h"

namespace sysbench {

template <typename Fn>
struct Scenario {
  std::string_view name;     // stable: part of every case id
  std::string_view purpose;  // one line, shown by --help
  Fn run;
};

// The names of a table, in its order.
template <typename Table>
std::vector<std::string> ScenarioNames(const Table& table) {
  std::vector<std::string> names;
  for (const auto& scenario : table) names.emplace_back(scenario.name);
  return names;
}

// --scenario's help: the names with "or all", then one "name: purpose" line per scenario.
template <typename Table>
std::string ScenarioHelp(const Table& table) {
  std::string help = NameListHelp(ScenarioNames(table), ListAll::kYes) + " (default all):";
  for (const auto& scenario : table) {
    help += "\n  ";
    help += scenario.name;
    help += ": ";
    help += scenario.purpose;
  }
  return help;
}

// The entries --scenario names, in the order given ("all": the whole table in its order). Throws
// UsageError naming `option` for an empty text and unknown, empty or repeated names.
template <typename Table>
auto ChooseScenarios(std::string_view text, std::string_view option, const Table& table) {
  std::vector<const typename Table::value_type*> chosen;
  for (const std::string& name : ParseNameList(text, option, ScenarioNames(table), ListAll::kYes)) {
    for (const auto& scenario : table) {
      if (scenario.name == name) chosen.push_back(&scenario);
    }
  }
  return chosen;
}

}  // namespace sysbench
