#include "sysbench/shard.h"

#include <fmt/format.h>

#include <cstdlib>
#include <limits>
#include <optional>
#include <string_view>

#include "sysbench/error.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

constexpr std::int64_t kMaxTasks = std::numeric_limits<int>::max();

std::optional<std::string> Get(const EnvLookup& env, const char* name) {
  const char* value = env(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

// A whole number in [min, kMaxTasks]; the variable's name stands where an option name would.
int Number(const std::string& text, const char* name, std::int64_t min) {
  return static_cast<int>(ParseInt(text, fmt::format("environment {}", name), min, kMaxTasks));
}

std::optional<int> Optional(const EnvLookup& env, const char* name, std::int64_t min) {
  const std::optional<std::string> text = Get(env, name);
  if (!text) return std::nullopt;
  return Number(*text, name, min);
}

// A rank and a size from two variables (the size may be missing: count 0, unknown).
bool FromPair(const EnvLookup& env, const char* rank_name, const char* size_name,
              const char* launcher, ShardInfo& shard) {
  const std::optional<int> rank = Optional(env, rank_name, 0);
  if (!rank) return false;
  shard.launcher = launcher;
  shard.index = *rank;
  shard.count = Optional(env, size_name, 1).value_or(0);
  return true;
}

bool FromSlurmArray(const EnvLookup& env, ShardInfo& shard) {
  const std::optional<int> id = Optional(env, "SLURM_ARRAY_TASK_ID", 0);
  if (!id) return false;
  const int min = Optional(env, "SLURM_ARRAY_TASK_MIN", 0).value_or(0);
  const int step = Optional(env, "SLURM_ARRAY_TASK_STEP", 1).value_or(1);
  if (*id < min || (*id - min) % step != 0) {
    throw UsageError(fmt::format(
        "environment SLURM_ARRAY_TASK_ID '{}' is not on the array's grid (min {}, step {})", *id,
        min, step));
  }
  shard.launcher = "slurm-array";
  shard.index = (*id - min) / step;
  shard.count = Optional(env, "SLURM_ARRAY_TASK_COUNT", 1).value_or(0);
  // An srun step of several tasks inside each array task: one shard per (array task, rank).
  const std::optional<std::string> step_id = Get(env, "SLURM_STEP_ID");
  const std::optional<int> tasks = Optional(env, "SLURM_NTASKS", 1);
  const bool numeric_step =
      step_id && !step_id->empty() && step_id->find_first_not_of("0123456789") == std::string::npos;
  if (numeric_step && tasks && *tasks > 1) {
    const int rank = Optional(env, "SLURM_PROCID", 0).value_or(0);
    if (rank >= *tasks) {
      throw UsageError(fmt::format("environment SLURM_PROCID '{}' is not below SLURM_NTASKS '{}'",
                                   rank, *tasks));
    }
    shard.index = shard.index * *tasks + rank;
    shard.count = shard.count * *tasks;
  }
  return true;
}

}  // namespace

ShardInfo ReadShard(const EnvLookup& env, const std::string& hostname) {
  ShardInfo shard;
  const bool found =
      FromSlurmArray(env, shard) ||
      FromPair(env, "SLURM_PROCID", "SLURM_NTASKS", "slurm-step", shard) ||
      FromPair(env, "JOB_COMPLETION_INDEX", "SYSBENCH_SHARD_COUNT", "kubernetes", shard) ||
      FromPair(env, "OMPI_COMM_WORLD_RANK", "OMPI_COMM_WORLD_SIZE", "openmpi", shard) ||
      FromPair(env, "PMI_RANK", "PMI_SIZE", "pmi", shard);
  if (found && shard.count > 0 && shard.index >= shard.count) {
    throw UsageError(fmt::format("the shard index {} from {} is not below its count {}",
                                 shard.index, shard.launcher, shard.count));
  }
  shard.node = Get(env, "SLURMD_NODENAME").value_or(Get(env, "SYSBENCH_NODE").value_or(hostname));
  shard.job_id = Get(env, "SLURM_ARRAY_JOB_ID").value_or(Get(env, "SLURM_JOB_ID").value_or(""));
  shard.step_id = Get(env, "SLURM_STEP_ID").value_or("");
  return shard;
}

const ShardInfo& CurrentShard() {
  static const ShardInfo shard =
      ReadShard([](const char* name) { return std::getenv(name); }, GetSystemInfo().hostname);
  return shard;
}

}  // namespace sysbench
