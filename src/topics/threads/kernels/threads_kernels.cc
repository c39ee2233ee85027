#include "topics/threads/kernels/threads_kernels.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <new>

// The deliberate data races (plain and volatile counters, the plain litmus variant) are kept out
// of ThreadSanitizer's view; everything else is checked by it.
#if defined(__clang__) || defined(__GNUC__)
#define SYSBENCH_NO_TSAN __attribute__((no_sanitize("thread")))
#else
#define SYSBENCH_NO_TSAN
#endif

namespace sysbench::kernels {
namespace {

inline void CpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#else
  asm volatile("" ::: "memory");
#endif
}

inline std::uint64_t XorShift(std::uint64_t& state) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return state;
}

}  // namespace

std::uint64_t CpuJob(std::uint64_t iterations, std::uint64_t seed) {
  std::uint64_t state = seed | 1;
  std::uint64_t acc = 0;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    acc += XorShift(state) * std::uint64_t{0x9E3779B97F4A7C15};
    acc ^= acc >> 29;
  }
  return acc ^ state;
}

void SpinLock::lock() {
  int spins = 0;
  while (true) {
    if (!locked_.exchange(true, std::memory_order_acquire)) return;
    while (locked_.load(std::memory_order_relaxed)) {
      if (++spins < 1000) {
        CpuRelax();
      } else {
        spins = 0;
        sched_yield();  // more threads than CPUs: let the holder run
      }
    }
  }
}

void IncrementMutex(PaddedMutexCount& shared, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) {
    std::lock_guard<std::mutex> lock(shared.mutex);
    ++shared.count;
  }
}

void IncrementStriped(PaddedMutexCount* stripes, std::uint64_t iterations, std::uint64_t seed) {
  std::uint64_t state = seed | 1;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    PaddedMutexCount& stripe = stripes[XorShift(state) % kStripes];
    std::lock_guard<std::mutex> lock(stripe.mutex);
    ++stripe.count;
  }
}

void IncrementSpin(PaddedSpinCount& shared, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) {
    std::lock_guard<SpinLock> lock(shared.lock);
    ++shared.count;
  }
}

void IncrementAtomic(std::atomic<std::uint64_t>& shared, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) shared.fetch_add(1, std::memory_order_relaxed);
}

void IncrementLocal(std::atomic<std::uint64_t>& total, std::uint64_t iterations) {
  std::uint64_t local = 0;
  for (std::uint64_t i = 0; i < iterations; ++i) {
    ++local;
    asm volatile("" : "+r"(local));  // one increment per iteration, not one add of the total
  }
  total.fetch_add(local, std::memory_order_relaxed);
}

void LockYieldUnlock(PaddedMutexCount* locks, int worker, std::uint64_t iterations) {
  PaddedMutexCount& slot = locks[worker % kYieldLocks];
  for (std::uint64_t i = 0; i < iterations; ++i) {
    std::lock_guard<std::mutex> lock(slot.mutex);
    sched_yield();
    ++slot.count;
  }
}

SYSBENCH_NO_TSAN void RacePlain(std::uint64_t* counter, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) {
    ++*counter;
    asm volatile("" ::: "memory");  // reload and store every time, as unoptimised code would
  }
}

SYSBENCH_NO_TSAN void RaceVolatile(volatile std::uint64_t* counter, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) *counter = *counter + 1;
}

void RaceRelaxed(std::atomic<std::uint64_t>& counter, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) {
    counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
}

void RaceAtomic(std::atomic<std::uint64_t>& counter, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) counter.fetch_add(1, std::memory_order_relaxed);
}

void IncrementOwnSlot(std::atomic<std::uint64_t>& slot, std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) {
    slot.store(slot.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
}

// ---- Litmus

namespace {

using Ref = std::atomic_ref<std::uint32_t>;

// The largest random delay (in empty loop turns) before a trial's first access, so that the two
// threads' accesses overlap in some trials whatever the skew with which they leave the barrier.
constexpr std::uint64_t kMaxDelay = 64;

inline void Delay(std::uint64_t& rng) {
  const std::uint64_t turns = XorShift(rng) % kMaxDelay;
  for (std::uint64_t t = 0; t < turns; ++t) asm volatile("");
}

SYSBENCH_NO_TSAN inline void PlainStore(std::uint32_t* p) { *p = 1; }
SYSBENCH_NO_TSAN inline std::uint32_t PlainLoad(const std::uint32_t* p) { return *p; }

// First access of a side: a store of 1. Second: a load. `release_first` / `acquire_second`
// say which of the two carries the ordering in the acq_rel and fence variants.
template <LitmusOrder kOrder>
SYSBENCH_NO_TSAN inline std::uint32_t StoreThenLoad(std::uint32_t* store_to,
                                                    std::uint32_t* load_from) {
  if constexpr (kOrder == LitmusOrder::kPlain) {
    PlainStore(store_to);
    return PlainLoad(load_from);
  } else if constexpr (kOrder == LitmusOrder::kRelaxed) {
    Ref(*store_to).store(1, std::memory_order_relaxed);
    return Ref(*load_from).load(std::memory_order_relaxed);
  } else if constexpr (kOrder == LitmusOrder::kAcqRel) {
    Ref(*store_to).store(1, std::memory_order_release);
    return Ref(*load_from).load(std::memory_order_acquire);
  } else if constexpr (kOrder == LitmusOrder::kSeqCst) {
    Ref(*store_to).store(1, std::memory_order_seq_cst);
    return Ref(*load_from).load(std::memory_order_seq_cst);
  } else {
    Ref(*store_to).store(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_seq_cst);
    return Ref(*load_from).load(std::memory_order_relaxed);
  }
}

// Message passing, writer: data = 1 then flag = 1.
template <LitmusOrder kOrder>
SYSBENCH_NO_TSAN inline void Publish(std::uint32_t* data, std::uint32_t* flag) {
  if constexpr (kOrder == LitmusOrder::kPlain) {
    PlainStore(data);
    PlainStore(flag);
  } else if constexpr (kOrder == LitmusOrder::kRelaxed) {
    Ref(*data).store(1, std::memory_order_relaxed);
    Ref(*flag).store(1, std::memory_order_relaxed);
  } else if constexpr (kOrder == LitmusOrder::kAcqRel) {
    Ref(*data).store(1, std::memory_order_relaxed);
    Ref(*flag).store(1, std::memory_order_release);
  } else if constexpr (kOrder == LitmusOrder::kSeqCst) {
    Ref(*data).store(1, std::memory_order_seq_cst);
    Ref(*flag).store(1, std::memory_order_seq_cst);
  } else {
    Ref(*data).store(1, std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_release);
    Ref(*flag).store(1, std::memory_order_relaxed);
  }
}

// Message passing, reader: r1 = flag then r2 = data.
template <LitmusOrder kOrder>
SYSBENCH_NO_TSAN inline void Observe(std::uint32_t* data, std::uint32_t* flag, std::uint32_t* r1,
                                     std::uint32_t* r2) {
  if constexpr (kOrder == LitmusOrder::kPlain) {
    *r1 = PlainLoad(flag);
    *r2 = PlainLoad(data);
  } else if constexpr (kOrder == LitmusOrder::kRelaxed) {
    *r1 = Ref(*flag).load(std::memory_order_relaxed);
    *r2 = Ref(*data).load(std::memory_order_relaxed);
  } else if constexpr (kOrder == LitmusOrder::kAcqRel) {
    *r1 = Ref(*flag).load(std::memory_order_acquire);
    *r2 = Ref(*data).load(std::memory_order_relaxed);
  } else if constexpr (kOrder == LitmusOrder::kSeqCst) {
    *r1 = Ref(*flag).load(std::memory_order_seq_cst);
    *r2 = Ref(*data).load(std::memory_order_seq_cst);
  } else {
    *r1 = Ref(*flag).load(std::memory_order_relaxed);
    std::atomic_thread_fence(std::memory_order_acquire);
    *r2 = Ref(*data).load(std::memory_order_relaxed);
  }
}

}  // namespace

Litmus::Litmus(LitmusTest test, LitmusOrder order, std::uint64_t trials, std::uint32_t chunk,
               double max_seconds)
    : test_(test),
      order_(order),
      trials_(trials),
      chunk_(std::max<std::uint32_t>(chunk, 1)),
      max_seconds_(max_seconds) {
  const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(trials_, chunk_));
  chunk_ = static_cast<std::uint32_t>(std::max<std::size_t>(n, 1));
  x_ = new Slot[chunk_];
  y_ = new Slot[chunk_];
  r1_ = new std::uint32_t[chunk_];
  r2_ = new std::uint32_t[chunk_];
}

Litmus::~Litmus() {
  delete[] x_;
  delete[] y_;
  delete[] r1_;
  delete[] r2_;
}

void Litmus::Barrier(std::uint64_t& phase) {
  phase += 2;
  arrived_.fetch_add(1, std::memory_order_acq_rel);
  int spins = 0;
  while (arrived_.load(std::memory_order_acquire) < phase) {
    if (++spins < 4000) {
      CpuRelax();
    } else {
      spins = 0;
      sched_yield();  // the partner is not running (shared CPU, or a loaded machine)
    }
  }
}

void Litmus::Tally(std::uint32_t count) {
  for (std::uint32_t i = 0; i < count; ++i) {
    const std::uint32_t r1 = r1_[i] != 0;
    const std::uint32_t r2 = r2_[i] != 0;
    ++outcomes_[r1 * 2 + r2];
    if (test_ == LitmusTest::kStoreBuffer ? (r1 == 0 && r2 == 0) : (r1 == 1 && r2 == 0)) {
      ++forbidden_;
    }
  }
}

namespace {

template <LitmusOrder kOrder>
void RunTrials(LitmusTest test, int side, std::uint32_t n, std::uint32_t* x, std::uint32_t* y,
               std::size_t stride, std::uint32_t* r1, std::uint32_t* r2, std::uint64_t& rng,
               const auto& barrier) {
  for (std::uint32_t i = 0; i < n; ++i) {
    std::uint32_t* xi = x + i * stride;
    std::uint32_t* yi = y + i * stride;
    barrier();
    Delay(rng);
    if (test == LitmusTest::kStoreBuffer) {
      if (side == 0) {
        r1[i] = StoreThenLoad<kOrder>(xi, yi);
      } else {
        r2[i] = StoreThenLoad<kOrder>(yi, xi);
      }
    } else if (side == 0) {
      Publish<kOrder>(xi, yi);  // x is the data, y the flag
    } else {
      Observe<kOrder>(xi, yi, &r1[i], &r2[i]);
    }
  }
}

}  // namespace

void Litmus::RunSide(int side) {
  std::uint64_t phase = 0;
  std::uint64_t rng = std::uint64_t{0x2545F4914F6CDD1D} * static_cast<std::uint64_t>(side + 1);
  auto barrier = [this, &phase] { Barrier(phase); };
  constexpr std::size_t kStride = sizeof(Slot) / sizeof(std::uint32_t);
  auto* x = &x_[0].value;
  auto* y = &y_[0].value;
  const auto began = std::chrono::steady_clock::now();
  for (std::uint64_t start = 0;; start += chunk_) {
    const auto n = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(chunk_, start < trials_ ? trials_ - start : 0));
    if (side == 0) {
      go_ = n > 0 &&
            (max_seconds_ <= 0 || start == 0 ||
             std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count() <
                 max_seconds_);
      for (std::uint32_t i = 0; go_ && i < n; ++i) {
        x_[i].value = 0;
        y_[i].value = 0;
        r1_[i] = 0;
        r2_[i] = 0;
      }
    }
    barrier();
    if (!go_) break;
    switch (order_) {
      case LitmusOrder::kPlain:
        RunTrials<LitmusOrder::kPlain>(test_, side, n, x, y, kStride, r1_, r2_, rng, barrier);
        break;
      case LitmusOrder::kRelaxed:
        RunTrials<LitmusOrder::kRelaxed>(test_, side, n, x, y, kStride, r1_, r2_, rng, barrier);
        break;
      case LitmusOrder::kAcqRel:
        RunTrials<LitmusOrder::kAcqRel>(test_, side, n, x, y, kStride, r1_, r2_, rng, barrier);
        break;
      case LitmusOrder::kSeqCst:
        RunTrials<LitmusOrder::kSeqCst>(test_, side, n, x, y, kStride, r1_, r2_, rng, barrier);
        break;
      case LitmusOrder::kFence:
        RunTrials<LitmusOrder::kFence>(test_, side, n, x, y, kStride, r1_, r2_, rng, barrier);
        break;
    }
    barrier();
    if (side == 0) {
      Tally(n);
      done_ += n;
    }
  }
}

}  // namespace sysbench::kernels
