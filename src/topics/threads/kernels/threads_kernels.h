// Kernels of `sysbench threads`: a CPU-bound job, shared-counter increments under several kinds of
// lock, racy counters, per-thread counters packed or padded, and the litmus tests (store buffering,
// message passing). No I/O, no exceptions; each returns its result so it cannot be deleted.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>

namespace sysbench::kernels {

// A CPU-bound job: `iterations` steps of a xorshift/multiply chain; returns the final state.
std::uint64_t CpuJob(std::uint64_t iterations, std::uint64_t seed);

// ---- Locks: each call increments a shared count `iterations` times under its kind of lock.

// A test-and-test-and-set spinlock that pauses while it waits and yields after a while.
class SpinLock {
 public:
  void lock();
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  std::atomic<bool> locked_{false};
};

inline constexpr std::size_t kLineBytes = 64;
// Padding between per-thread or per-stripe slots: two lines, so the adjacent-line prefetcher
// does not pair them.
inline constexpr std::size_t kPadBytes = 128;
inline constexpr int kStripes = 64;    // striped mutexes (and their counters)
inline constexpr int kYieldLocks = 8;  // Debian sysbench `threads`: --thread-locks=8

struct alignas(kPadBytes) PaddedMutexCount {
  std::mutex mutex;
  std::uint64_t count = 0;
};

struct alignas(kPadBytes) PaddedSpinCount {
  SpinLock lock;
  std::uint64_t count = 0;
};

struct alignas(kPadBytes) PaddedAtomic {
  std::atomic<std::uint64_t> value{0};
};

// One mutex, one counter.
void IncrementMutex(PaddedMutexCount& shared, std::uint64_t iterations);
// kStripes mutexes, each with its own counter; each increment picks a stripe from `seed`'s
// xorshift sequence (Debian sysbench `mutex` picks a random one of --mutex-num).
void IncrementStriped(PaddedMutexCount* stripes, std::uint64_t iterations, std::uint64_t seed);
void IncrementSpin(PaddedSpinCount& shared, std::uint64_t iterations);
void IncrementAtomic(std::atomic<std::uint64_t>& shared, std::uint64_t iterations);
// Counts in a local variable and adds it to `total` once at the end.
void IncrementLocal(std::atomic<std::uint64_t>& total, std::uint64_t iterations);
// Debian sysbench `threads`: lock one of kYieldLocks mutexes (the worker's own, index
// worker % kYieldLocks), sched_yield, unlock; counts into that slot.
void LockYieldUnlock(PaddedMutexCount* locks, int worker, std::uint64_t iterations);

// ---- Races: `iterations` unsynchronised increments of one shared counter.

// counter++ on a plain integer, reloaded and stored every time (a data race: deliberately not
// instrumented by ThreadSanitizer).
void RacePlain(std::uint64_t* counter, std::uint64_t iterations);
void RaceVolatile(volatile std::uint64_t* counter, std::uint64_t iterations);
// A relaxed load then a relaxed store: no undefined behaviour, but still a lost-update race.
void RaceRelaxed(std::atomic<std::uint64_t>& counter, std::uint64_t iterations);
// fetch_add: loses nothing.
void RaceAtomic(std::atomic<std::uint64_t>& counter, std::uint64_t iterations);

// ---- False sharing: each worker increments its own slot (single writer: relaxed load + store).
void IncrementOwnSlot(std::atomic<std::uint64_t>& slot, std::uint64_t iterations);

// ---- Litmus tests. Two threads run `trials` trials in lock step; each trial uses fresh
// locations. Thread 0 calls with side 0, thread 1 with side 1, both with the same Litmus object.

enum class LitmusTest { kStoreBuffer, kMessagePassing };
enum class LitmusOrder { kPlain, kRelaxed, kAcqRel, kSeqCst, kFence };

class Litmus {
 public:
  // chunk: trials per round of fresh locations (the locations are reset between rounds).
  // max_seconds > 0: stop at the first round boundary after that long (Trials() says how many ran).
  Litmus(LitmusTest test, LitmusOrder order, std::uint64_t trials, std::uint32_t chunk = 4096,
         double max_seconds = 0);
  ~Litmus();
  Litmus(const Litmus&) = delete;
  Litmus& operator=(const Litmus&) = delete;

  // Runs this side's part of every trial; call from exactly two threads, side 0 and side 1.
  void RunSide(int side);
  // After both sides returned: trials whose outcome the strong model forbids
  // (store buffer: r1 == 0 && r2 == 0; message passing: flag seen set but data still 0).
  std::uint64_t Forbidden() const { return forbidden_; }
  // Outcome histogram: index r1 * 2 + r2.
  const std::uint64_t* Outcomes() const { return outcomes_; }
  // Trials run (fewer than asked only when max_seconds ran out).
  std::uint64_t Trials() const { return done_; }

 private:
  void Barrier(std::uint64_t& phase);
  void Tally(std::uint32_t count);

  LitmusTest test_;
  LitmusOrder order_;
  std::uint64_t trials_;
  std::uint32_t chunk_;
  double max_seconds_;
  bool go_ = false;  // written by side 0 before a barrier, read by side 1 after it
  std::uint64_t done_ = 0;
  // Per trial: x and y on lines of their own, the two observed values.
  struct alignas(kPadBytes) Slot {
    std::uint32_t value;
  };
  Slot* x_ = nullptr;
  Slot* y_ = nullptr;
  std::uint32_t* r1_ = nullptr;
  std::uint32_t* r2_ = nullptr;
  alignas(kPadBytes) std::atomic<std::uint64_t> arrived_{0};
  alignas(kPadBytes) std::uint64_t forbidden_ = 0;
  std::uint64_t outcomes_[4] = {0, 0, 0, 0};
};

}  // namespace sysbench::kernels
