// A team of pinned worker threads that run a batch together, timed from one release.
#pragma once

#include <sched.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

namespace sysbench {

// Pins the calling thread to one CPU; returns false (and changes nothing) if the kernel refuses.
bool PinCurrentThread(int cpu);

// The calling thread's allowed CPUs, saved when made and set back when it ends: code that pins
// its thread leaves it as it found it (`all` runs every command on the same thread).
class SavedAffinity {
 public:
  SavedAffinity();
  ~SavedAffinity();
  SavedAffinity(const SavedAffinity&) = delete;
  SavedAffinity& operator=(const SavedAffinity&) = delete;

 private:
  cpu_set_t cpus_{};
  bool saved_ = false;
};

class Notes;

// Pins the calling thread to `cpu` for the object's lifetime and then gives the thread its CPUs
// back; with no cpu it does nothing. Where the kernel refuses the pin, one warning says that
// `what` (e.g. "net: the client") runs unpinned.
class ScopedPin {
 public:
  ScopedPin(std::optional<int> cpu, std::string_view what, Notes& notes);

 private:
  std::optional<SavedAffinity> saved_;
};

// Worker 0 is the calling thread, so N workers occupy exactly N CPUs. Workers wait (not spin)
// between batches. Each worker is pinned to cpus[i % cpus.size()] when cpus is non-empty.
class WorkerTeam {
 public:
  WorkerTeam(int workers, std::vector<int> cpus);
  ~WorkerTeam();
  WorkerTeam(const WorkerTeam&) = delete;
  WorkerTeam& operator=(const WorkerTeam&) = delete;

  int Size() const { return workers_; }
  // Runs work(worker_index) on every worker at once; returns the wall seconds from the release
  // to the last worker's finish.
  double Run(const std::function<void(int)>& work);

 private:
  void WorkerLoop(int index);

  SavedAffinity saved_affinity_;  // first: set back after the members below are gone
  int workers_;
  std::vector<int> cpus_;
  std::vector<std::thread> threads_;
  const std::function<void(int)>* work_ = nullptr;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<int> ready_{0};
  std::atomic<bool> stop_{false};
};

// Runs fn(worker) on every worker of the team after a start barrier; returns the seconds from the
// first worker's start to the last one's finish, so that waking the workers is not timed.
double TimedTeamRun(WorkerTeam& team, const std::function<void(int)>& fn);

// The CPUs workers should be pinned to: --cpus if given, else the allowed CPUs.
std::vector<int> WorkerCpus(const std::vector<int>& requested);

}  // namespace sysbench
