// Processes and OS primitives for `sysbench threads`: forked workers, spawn costs, pipe ping-pong.
// Every child is reaped, on success and on error (a ChildReaper kills and waits what is left).
// After fork in this (possibly multi-threaded) process, a child only does async-signal-safe work:
// pure computation, sched_setaffinity, read, write, _exit.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "sysbench/parallel.h"

namespace sysbench {

// Children not yet waited for: the destructor sends SIGKILL to each and waits for it.
class ChildReaper {
 public:
  ChildReaper() = default;
  ~ChildReaper();
  ChildReaper(const ChildReaper&) = delete;
  ChildReaper& operator=(const ChildReaper&) = delete;

  void Add(pid_t pid) { pids_.push_back(pid); }
  // Waits for `pid` and forgets it; returns its wait status.
  int Wait(pid_t pid);
  // Waits for every child left; throws RuntimeError if one did not exit with status 0.
  void WaitAllOk(const std::string& what);

 private:
  std::vector<pid_t> pids_;
};

// Runs CpuJob(per_worker[i]) in one forked child per entry, child i pinned to cpus[i % size] (no
// pinning when cpus is empty); returns the wall seconds from the first fork to the last reaped
// child, and the XOR of the children's results in *checksum.
double ForkJobs(const std::vector<std::uint64_t>& per_worker, const std::vector<int>& cpus,
                std::uint64_t* checksum);

// `iterations` times: create a thread that does nothing and join it. Returns seconds.
double ThreadCreateJoin(std::uint64_t iterations);
// `iterations` times: fork a child that calls _exit(0), and waitpid it. Returns seconds.
double ForkWait(std::uint64_t iterations);
// `iterations` times: posix_spawn `program` (no arguments, empty environment) and waitpid it.
double SpawnWait(const std::string& program, std::uint64_t iterations);

// Two parties, both pinned to one CPU, bouncing one byte over two pipes: each round trip is two
// context switches. The echoing party is a thread or a forked process, started once.
class PipePingPong {
 public:
  PipePingPong(bool use_process, int cpu);
  ~PipePingPong();
  PipePingPong(const PipePingPong&) = delete;
  PipePingPong& operator=(const PipePingPong&) = delete;

  // `iterations` round trips from the calling thread; returns seconds.
  double RoundTrips(std::uint64_t iterations);

 private:
  void Stop();

  int to_echo_[2] = {-1, -1};
  int from_echo_[2] = {-1, -1};
  pid_t child_ = -1;
  std::thread echo_thread_;
  ChildReaper reaper_;
  std::optional<SavedAffinity> saved_affinity_;  // while the calling thread is pinned
};

// Children of this process, running or exited but not reaped (zombies); for tests.
int ChildProcesses();

}  // namespace sysbench
