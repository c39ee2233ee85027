// Factories of the subcommands (one source file each).
#pragma once

#include <memory>

#include "sysbench/command.h"

namespace sysbench {

std::unique_ptr<Command> MakeInfoCommand();
std::unique_ptr<Command> MakeFloatInfoCommand();
std::unique_ptr<Command> MakeFlopsCommand();
std::unique_ptr<Command> MakeGpuCommand();
std::unique_ptr<Command> MakeCacheStrideCommand();
std::unique_ptr<Command> MakeLayoutCommand();
std::unique_ptr<Command> MakeMmapCommand();
std::unique_ptr<Command> MakeThreadsCommand();
std::unique_ptr<Command> MakeLatencyCommand();
std::unique_ptr<Command> MakeBandwidthCommand();
std::unique_ptr<Command> MakeNetCommand();
std::unique_ptr<Command> MakeSerializeCommand();
std::unique_ptr<Command> MakeExecCommand();
std::unique_ptr<Command> MakeTrainCommand();
std::unique_ptr<Command> MakeDiskCommand();

}  // namespace sysbench
