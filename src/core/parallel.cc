#include "sysbench/parallel.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/notes.h"
#include "sysbench/system_info.h"

namespace sysbench {
namespace {

// Workers spin this many times before they sleep, so a batch that follows soon after the last one
// starts without a futex wake-up in its timed interval.
constexpr int kSpinsBeforeWait = 20000;

}  // namespace

bool PinCurrentThread(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) return false;
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

SavedAffinity::SavedAffinity()
    : saved_(pthread_getaffinity_np(pthread_self(), sizeof cpus_, &cpus_) == 0) {}

SavedAffinity::~SavedAffinity() {
  if (saved_) pthread_setaffinity_np(pthread_self(), sizeof cpus_, &cpus_);
}

ScopedPin::ScopedPin(std::optional<int> cpu, std::string_view what, Notes& notes) {
  if (!cpu) return;
  saved_.emplace();
  if (!PinCurrentThread(*cpu)) {
    notes.Warn(std::string(what) + " could not be pinned to CPU " + std::to_string(*cpu) +
               "; it runs unpinned");
  }
}

std::vector<int> WorkerCpus(const std::vector<int>& requested) {
  return requested.empty() ? AllowedCpus() : requested;
}

WorkerTeam::WorkerTeam(int workers, std::vector<int> cpus)
    : workers_(workers < 1 ? 1 : workers), cpus_(std::move(cpus)) {
  if (!cpus_.empty()) PinCurrentThread(cpus_[0]);
  threads_.reserve(static_cast<std::size_t>(workers_) - 1);
  for (int i = 1; i < workers_; ++i) threads_.emplace_back([this, i] { WorkerLoop(i); });
  while (ready_.load() != workers_ - 1) std::this_thread::yield();
}

WorkerTeam::~WorkerTeam() {
  stop_.store(true);
  generation_.fetch_add(1);
  generation_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerTeam::WorkerLoop(int index) {
  if (!cpus_.empty()) {
    PinCurrentThread(cpus_[static_cast<std::size_t>(index) % cpus_.size()]);
  }
  std::uint64_t seen = generation_.load();
  ready_.fetch_add(1);
  while (true) {
    for (int spin = 0; spin < kSpinsBeforeWait && generation_.load() == seen; ++spin) {
      __builtin_ia32_pause();
    }
    generation_.wait(seen);
    seen = generation_.load();
    if (stop_.load()) return;
    (*work_)(index);
    if (pending_.fetch_sub(1) == 1) pending_.notify_one();
  }
}

double WorkerTeam::Run(const std::function<void(int)>& work) {
  work_ = &work;
  pending_.store(workers_ - 1);
  const auto start = SteadyClock::now();
  generation_.fetch_add(1);
  generation_.notify_all();
  work(0);
  for (int left = pending_.load(); left != 0; left = pending_.load()) pending_.wait(left);
  const auto end = SteadyClock::now();
  work_ = nullptr;
  return SecondsBetween(start, end);
}

double TimedTeamRun(WorkerTeam& team, const std::function<void(int)>& fn) {
  const int n = team.Size();
  std::atomic<int> arrived{0};
  std::vector<SteadyClock::time_point> starts(static_cast<std::size_t>(n));
  std::vector<SteadyClock::time_point> ends(static_cast<std::size_t>(n));
  team.Run([&](int i) {
    arrived.fetch_add(1);
    // Spin (a worker that yields here may lose its CPU for a long time on a busy machine), but
    // yield now and then so that more workers than CPUs still get there.
    for (int spins = 0; arrived.load() < n; ++spins) {
      if (spins % 65536 == 65535) sched_yield();
    }
    const auto index = static_cast<std::size_t>(i);
    starts[index] = SteadyClock::now();
    fn(i);
    ends[index] = SteadyClock::now();
  });
  return SecondsBetween(*std::min_element(starts.begin(), starts.end()),
                        *std::max_element(ends.begin(), ends.end()));
}

}  // namespace sysbench
