// The explicit list of subcommands, in --list order. A new subcommand adds one line here.
#include "commands/commands.h"

namespace sysbench {

std::vector<std::unique_ptr<Command>> MakeCommands() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(MakeInfoCommand());
  commands.push_back(MakeFloatInfoCommand());
  commands.push_back(MakeNetCommand());
  commands.push_back(MakeSerializeCommand());
  return commands;
}

}  // namespace sysbench
