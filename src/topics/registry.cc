// The explicit list of subcommands, in --list order. A new subcommand adds one line here.
#include "topics/registry.h"

namespace sysbench {

std::vector<std::unique_ptr<Command>> MakeCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakeInfoCommand());
  commands.push_back(MakeFloatInfoCommand());
  commands.push_back(MakeFlopsCommand());
  commands.push_back(MakeCacheStrideCommand());
  commands.push_back(MakeLayoutCommand());
  commands.push_back(MakeMmapCommand());
  commands.push_back(MakeThreadsCommand());
  commands.push_back(MakeLatencyCommand());
  commands.push_back(MakeBandwidthCommand());
  commands.push_back(MakeNetCommand());
  commands.push_back(MakeSerializeCommand());
  commands.push_back(MakeDiskCommand());
  return commands;
}

}  // namespace sysbench
