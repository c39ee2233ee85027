// The explicit list of subcommands, in --list order. A new subcommand adds one line here.
#include "topics/registry.h"

#include <map>
#include <string>

namespace sysbench {

std::vector<std::unique_ptr<Command>> MakeCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakeInfoCommand());
  commands.push_back(MakeFloatInfoCommand());
  commands.push_back(MakeFlopsCommand());
  commands.push_back(MakeGpuCommand());
  commands.push_back(MakeCacheStrideCommand());
  commands.push_back(MakeLayoutCommand());
  commands.push_back(MakeMmapCommand());
  commands.push_back(MakeThreadsCommand());
  commands.push_back(MakeLatencyCommand());
  commands.push_back(MakeBandwidthCommand());
  commands.push_back(MakeNetCommand());
  commands.push_back(MakeSerializeCommand());
  commands.push_back(MakeExecCommand());
  commands.push_back(MakeTrainCommand());
  commands.push_back(MakeDiskCommand());
  return commands;
}

const std::vector<ChartSpec>& ChartsOf(std::string_view command) {
  static const std::map<std::string, std::vector<ChartSpec>, std::less<>> charts = [] {
    std::map<std::string, std::vector<ChartSpec>, std::less<>> by_name;
    for (const auto& c : MakeCommands()) by_name.emplace(std::string(c->Name()), c->Charts());
    return by_name;
  }();
  static const std::vector<ChartSpec> none;
  const auto found = charts.find(command);
  return found == charts.end() ? none : found->second;
}

}  // namespace sysbench
