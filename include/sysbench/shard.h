// Which task of a multi-node run this process is, read from whichever launcher started it.
#pragma once

#include <functional>
#include <string>

namespace sysbench {

// The launcher-neutral shard contract: `index` of `count` tasks (count 0: the launcher does not
// say), plus where the task ran and which job and step it belongs to.
struct ShardInfo {
  std::string launcher = "none";  // none, slurm-array, slurm-step, kubernetes, openmpi, pmi
  int index = 0;
  int count = 1;
  std::string node;     // SLURMD_NODENAME (or the host name the caller passes)
  std::string job_id;   // SLURM_ARRAY_JOB_ID or SLURM_JOB_ID
  std::string step_id;  // SLURM_STEP_ID
  bool Launched() const { return launcher != "none"; }
};

// Looks one variable up: nullptr when unset (getenv's contract).
using EnvLookup = std::function<const char*(const char*)>;

// Pure: reads the contract from `env`; `hostname` names the node when the launcher does not.
// Order: a Slurm array task (composed with its srun step when the step runs several tasks), a
// Slurm step, a Kubernetes Indexed Job (count from SYSBENCH_SHARD_COUNT when the manifest gives
// it), Open MPI, then PMI. Throws UsageError naming the variable for a value that is not a whole
// number, a negative index, or an index not below the count.
ShardInfo ReadShard(const EnvLookup& env, const std::string& hostname);

// ReadShard over this process's environment and host name, read once.
const ShardInfo& CurrentShard();

}  // namespace sysbench
