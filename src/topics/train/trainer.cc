#include "topics/train/trainer.h"

#include <sched.h>

#include <algorithm>
#include <atomic>
#include <cmath>

#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"

namespace sysbench::train {
namespace {

namespace k = kernels;

// Workers meet here once per step and a few times per epoch. A waiting worker spins briefly, then
// yields its CPU (to a partner or another process that wants it) while it keeps checking, and
// only after kYieldSeconds sleeps on the phase word. It does not sleep sooner because a sleeping
// vCPU halts, and waking it again takes longer than a phase (measured on a KVM guest: every
// barrier then waited ~0.3 ms, each late wake making the partner's spin run out in turn).
class SpinBarrier {
 public:
  explicit SpinBarrier(int parties) : parties_(parties) {}
  void Wait() {
    if (parties_ == 1) return;
    const std::uint64_t phase = phase_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == parties_) {
      arrived_.store(0, std::memory_order_relaxed);
      phase_.store(phase + 1, std::memory_order_release);
      if (sleepers_.load(std::memory_order_acquire) > 0) phase_.notify_all();
      return;
    }
    const auto start = SteadyClock::now();
    for (bool yield = false;;) {
      for (int i = 0; i < kChecksPerClockRead; ++i) {
        if (phase_.load(std::memory_order_acquire) != phase) return;
        if (yield) {
          sched_yield();
        } else {
          Pause();
        }
      }
      const double waited = SecondsBetween(start, SteadyClock::now());
      if (waited > kYieldSeconds) break;
      yield = waited > kSpinSeconds;
    }
    sleepers_.fetch_add(1, std::memory_order_acq_rel);
    while (phase_.load(std::memory_order_acquire) == phase) phase_.wait(phase);
    sleepers_.fetch_sub(1, std::memory_order_acq_rel);
  }

 private:
  static void Pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  }
  static constexpr int kChecksPerClockRead = 64;
  static constexpr double kSpinSeconds = 20e-6;
  static constexpr double kYieldSeconds = 20e-3;
  const int parties_;
  alignas(64) std::atomic<int> arrived_{0};
  alignas(64) std::atomic<std::uint64_t> phase_{0};
  std::atomic<int> sleepers_{0};
};

// Doubles per worker slot of a shared array, rounded up to whole 64-byte lines (plus one line)
// so that no two workers write the same cache line.
std::size_t PaddedStride(std::size_t values) { return (values + 7) / 8 * 8 + 8; }

// From this many rows the permutation is the bucket shuffle, split across the workers; below, its
// set-up costs more than it saves (per row 2-3x Fisher-Yates at 4096 rows, on one thread) and
// worker 0 runs Fisher-Yates. Either way the order depends on the seed and the rows only.
constexpr std::size_t kBucketShuffleRows = 65536;

// Chunks of indices the bucket shuffle's count and scatter are claimed in: small enough that a
// held-up worker's share is soon taken over, few enough that the table of the chunks' first
// slots stays small (at most 64 x 64).
std::size_t ShuffleChunks(std::size_t rows) {
  constexpr std::size_t kChunkRows = 8192, kMaxChunks = 64;
  return std::clamp<std::size_t>(rows / kChunkRows, 1, kMaxChunks);
}

// Who took a piece of a phase: the tag (the epoch plus one) of the last phase that claimed it,
// one cache line each.
struct alignas(64) Claim {
  std::atomic<std::uint64_t> tag{0};
};

// [lo, hi) of worker `me` among `workers` over `count` items.
std::size_t ShareBegin(std::size_t count, std::size_t me, std::size_t workers) {
  return count * me / workers;
}

// The whole run, executed by every worker: each phase splits its work by worker index and ends
// at the barrier, and every decision (stop, diverged, reached) is computed identically by all
// workers from shared values, so no one needs to be told.
template <typename T>
class Run {
 public:
  Run(const Dataset<T>& data, const Settings& settings, std::size_t workers)
      : data_(data),
        s_(settings),
        model_{data.features, settings.hidden},
        params_count_(model_.Params()),
        workers_(workers),
        stride_(PaddedStride(params_count_)),
        barrier_(static_cast<int>(workers)),
        order_(data.count),
        x_(data.x.size()),
        y_(data.y.size()),
        chunks_(ShuffleChunks(data.count)),
        chunk_counts_(chunks_ * k::kShuffleBuckets),
        chunk_next_(workers, std::vector<std::size_t>(chunks_ * k::kShuffleBuckets)),
        count_claims_(chunks_),
        scatter_claims_(chunks_),
        bucket_claims_(k::kShuffleBuckets),
        grads_(2 * workers * stride_),
        loss_parts_(workers * 8) {
    for (std::size_t t = 0; t < workers; ++t) {
      params_.emplace_back(params_count_);
      k::InitParams(model_, s_.init_seed, params_.back().data());
      scratch_.emplace_back(k::GradientScratch(model_));
      sums_.emplace_back(params_count_);
    }
    if (!s_.shuffle) {
      x_ = data.x;
      y_ = data.y;
    }
    out_.status = s_.target_loss > 0 ? Status::kNotReached : Status::kEpochsDone;
  }

  void Worker(std::size_t me) {
    T* params = params_[me].data();
    const auto begin = SteadyClock::now();
    std::uint64_t step = 0;
    for (std::uint64_t epoch = 0; epoch < s_.max_epochs; ++epoch) {
      const auto t0 = SteadyClock::now();
      if (s_.shuffle) Shuffle(me, epoch);
      const auto t1 = SteadyClock::now();
      const std::uint64_t updates = Steps(me, params, step);
      const auto t2 = SteadyClock::now();
      if (me == 0) {
        out_.data_seconds += SecondsBetween(t0, t1);
        out_.compute_seconds += SecondsBetween(t1, t2);
        out_.updates += updates;
        out_.epochs = epoch + 1;
        time_up_.store(SecondsBetween(begin, t2) >= s_.max_seconds, std::memory_order_relaxed);
      }
      const double loss = Loss(me, params);
      if (me == 0) out_.final_loss = loss;
      if (!std::isfinite(loss) || loss > 1e30) {
        if (me == 0) out_.status = Status::kDiverged;
        break;
      }
      if (s_.target_loss > 0 && loss <= s_.target_loss) {
        if (me == 0) out_.status = Status::kReached;
        break;
      }
      if (time_up_.load(std::memory_order_relaxed)) break;
    }
  }

  Outcome Finish() {
    out_.params.assign(params_[0].begin(), params_[0].end());
    if (model_.hidden == 0) {
      out_.w.assign(out_.params.begin(), out_.params.end() - 1);
      out_.b = out_.params.back();
    }
    return out_;
  }

 private:
  // The permutation, then the rows gathered in its order. Fisher-Yates (below kBucketShuffleRows)
  // runs on worker 0, then each worker gathers the rows it will compute in the steps, so they are
  // in its own cache; the bucket shuffle gathers each bucket right after shuffling it.
  void Shuffle(std::size_t me, std::uint64_t epoch) {
    const std::uint64_t seed = s_.seed * 1000003 + epoch;
    if (data_.count >= kBucketShuffleRows) {
      BucketShuffle(me, seed, epoch);
    } else {
      if (me == 0) k::Permutation(seed, order_.data(), data_.count);
      barrier_.Wait();
      for (std::size_t start = 0; start < data_.count; start += s_.batch) {
        const std::size_t size = std::min(s_.batch, data_.count - start);
        Gather(start + ShareBegin(size, me, workers_), start + ShareBegin(size, me + 1, workers_));
      }
    }
    barrier_.Wait();
  }

  // Copies the rows of order_[from, to) to the same positions of x_ and y_.
  void Gather(std::size_t from, std::size_t to) {
    const std::size_t f = data_.features;
    k::GatherRows(k::Rows<T>{data_.x.data(), data_.y.data(), to - from, f}, order_.data() + from,
                  x_.data() + from * f, y_.data() + from);
  }

  // The bucket shuffle (kernels/sgd.h) split across the workers in three phases: count the
  // buckets of each chunk of indices, scatter each chunk's indices into its slots, then per bucket
  // Fisher-Yates and the gather of its rows while its slots are in L1. No phase's work is split
  // in advance: a worker claims its own pieces first (the chunks of its share of the indices, the
  // buckets whose first slot it will compute in the steps), then any left, so a worker held up
  // (an interrupt, a late wake-up) does not hold up the epoch: its partner takes the rest.
  void BucketShuffle(std::size_t me, std::uint64_t seed, std::uint64_t epoch) {
    const std::size_t n = data_.count, buckets = k::kShuffleBuckets, chunks = chunks_;
    const std::uint64_t tag = epoch + 1;  // unique per epoch: no claim needs resetting
    auto chunk_lo = [&](std::size_t c) { return ShareBegin(n, c, chunks); };
    auto count = [&](std::size_t c) {
      std::size_t* counts = chunk_counts_.data() + c * buckets;
      std::fill(counts, counts + buckets, std::size_t{0});
      k::CountBuckets(seed, chunk_lo(c), chunk_lo(c + 1), counts);
    };
    ForEachClaimed(
        count_claims_, tag, me, chunks, [&](std::size_t c) { return c * workers_ / chunks; },
        count);
    barrier_.Wait();
    // Bucket starts, then each chunk's first slot in each bucket (every worker the same table).
    std::size_t first[k::kShuffleBuckets + 1];
    first[0] = 0;
    std::size_t* next = chunk_next_[me].data();
    for (std::size_t b = 0; b < buckets; ++b) {
      std::size_t slot = first[b];
      for (std::size_t c = 0; c < chunks; ++c) {
        next[c * buckets + b] = slot;
        slot += chunk_counts_[c * buckets + b];
      }
      first[b + 1] = slot;
    }
    auto scatter = [&](std::size_t c) {
      k::ScatterBuckets(seed, chunk_lo(c), chunk_lo(c + 1), next + c * buckets, order_.data());
    };
    ForEachClaimed(
        scatter_claims_, tag, me, chunks, [&](std::size_t c) { return c * workers_ / chunks; },
        scatter);
    barrier_.Wait();
    auto shuffle_and_gather = [&](std::size_t b) {
      k::ShuffleBucketSlots(seed, b, order_.data(), first[b], first[b + 1]);
      Gather(first[b], first[b + 1]);
    };
    ForEachClaimed(
        bucket_claims_, tag, me, buckets,
        [&](std::size_t b) { return first[b] < first[b + 1] ? RowOwner(first[b]) : workers_; },
        shuffle_and_gather);
  }

  // Runs work(i) for the pieces i in [0, count) this worker claims: first those owner(i) gives
  // it, in order, then any not yet claimed by another, from the last down (the ones their owner
  // would reach last, so owner and helper rarely race for the same piece).
  template <typename Owner, typename Work>
  void ForEachClaimed(std::vector<Claim>& claims, std::uint64_t tag, std::size_t me,
                      std::size_t count, Owner owner, Work work) {
    // The load first: a piece already taken costs a shared read, not a write to its line.
    auto claim = [&](std::size_t i) {
      std::atomic<std::uint64_t>& taken = claims[i].tag;
      if (taken.load(std::memory_order_relaxed) == tag) return;
      if (taken.exchange(tag, std::memory_order_relaxed) != tag) work(i);
    };
    for (std::size_t i = 0; i < count; ++i) {
      if (owner(i) == me) claim(i);
    }
    for (std::size_t i = count; i-- > 0;) claim(i);
  }

  // The worker whose share of its batch holds the row at this position of the epoch.
  std::size_t RowOwner(std::size_t position) const {
    const std::size_t start = position / s_.batch * s_.batch;
    const std::size_t size = std::min(s_.batch, data_.count - start);
    std::size_t owner = 0;
    while (owner + 1 < workers_ && start + ShareBegin(size, owner + 1, workers_) <= position) {
      ++owner;
    }
    return owner;
  }

  // The SGD steps of one epoch over rows in shuffled order: each worker sums the gradient of its
  // share of the batch, then (after the one barrier per step) every worker adds all shares in the
  // same order and applies the same update to its own copy of the parameters. The shares
  // alternate between two buffers, so a step's writes never meet the previous step's reads.
  std::uint64_t Steps(std::size_t me, T* params, std::uint64_t& step) {
    const std::size_t f = data_.features;
    std::uint64_t updates = 0;
    double* sum = sums_[me].data();
    for (std::size_t start = 0; start < data_.count; start += s_.batch, ++step, ++updates) {
      const std::size_t size = std::min(s_.batch, data_.count - start);
      const std::size_t lo = start + ShareBegin(size, me, workers_);
      const std::size_t hi = start + ShareBegin(size, me + 1, workers_);
      double* const shares = grads_.data() + (step & 1) * workers_ * stride_;
      double* const grad = workers_ == 1 ? sum : shares + me * stride_;
      std::fill(grad, grad + params_count_, 0.0);
      if (hi > lo) {
        k::AccumulateGradient(s_.path, model_,
                              k::Rows<T>{x_.data() + lo * f, y_.data() + lo, hi - lo, f}, params,
                              scratch_[me].data(), grad);
      }
      if (workers_ > 1) {
        barrier_.Wait();
        std::copy(shares, shares + params_count_, sum);
        for (std::size_t t = 1; t < workers_; ++t) {
          const double* other = shares + t * stride_;
          for (std::size_t p = 0; p < params_count_; ++p) sum[p] += other[p];
        }
      }
      k::ApplyUpdate(params, sum, params_count_, s_.lr * 2.0 / static_cast<double>(size));
    }
    return updates;
  }

  // The full-data loss, each worker over its share of the rows, added in worker order.
  double Loss(std::size_t me, const T* params) {
    const std::size_t n = data_.count, f = data_.features;
    const std::size_t lo = ShareBegin(n, me, workers_), hi = ShareBegin(n, me + 1, workers_);
    loss_parts_[me * 8] = k::SumSquaredError(
        model_, k::Rows<T>{data_.x.data() + lo * f, data_.y.data() + lo, hi - lo, f}, params);
    barrier_.Wait();
    double total = 0;
    for (std::size_t t = 0; t < workers_; ++t) total += loss_parts_[t * 8];
    return total / static_cast<double>(n);
  }

  const Dataset<T>& data_;
  const Settings& s_;
  const k::Model model_;
  const std::size_t params_count_;
  const std::size_t workers_;
  const std::size_t stride_;
  SpinBarrier barrier_;
  std::vector<std::uint32_t> order_;
  std::vector<T> x_, y_;  // the rows in this epoch's order
  // The bucket shuffle's pieces: chunks of indices, their bucket counts (chunk-major), each
  // worker's table of the chunks' first slots, and who took each piece.
  const std::size_t chunks_;
  std::vector<std::size_t> chunk_counts_;
  std::vector<std::vector<std::size_t>> chunk_next_;
  std::vector<Claim> count_claims_, scatter_claims_, bucket_claims_;
  std::vector<double> grads_;       // two buffers of one padded slot per worker
  std::vector<double> loss_parts_;  // one padded slot per worker
  std::vector<std::vector<T>> params_, scratch_;
  std::vector<std::vector<double>> sums_;
  std::atomic<bool> time_up_{false};
  Outcome out_;
};

}  // namespace

const char* ToString(Status status) {
  switch (status) {
    case Status::kReached:
      return "reached";
    case Status::kNotReached:
      return "not reached";
    case Status::kDiverged:
      return "diverged";
    case Status::kEpochsDone:
      return "epochs done";
  }
  return "?";
}

template <typename T>
Dataset<T> Generate(std::uint64_t seed, std::size_t count, std::size_t features) {
  Dataset<T> d;
  d.count = count;
  d.features = features;
  d.x.resize(count * features);
  d.y.resize(count);
  k::GenerateData(seed, count, features, d.x.data(), d.y.data());
  return d;
}

template <typename T>
Outcome Train(const Dataset<T>& data, const Settings& settings, WorkerTeam* team) {
  const std::size_t workers = team != nullptr ? static_cast<std::size_t>(team->Size()) : 1;
  Run<T> run(data, settings, workers);
  if (workers > 1) {
    team->Run([&](int index) { run.Worker(static_cast<std::size_t>(index)); });
  } else {
    run.Worker(0);
  }
  return run.Finish();
}

template Dataset<float> Generate<float>(std::uint64_t, std::size_t, std::size_t);
template Dataset<double> Generate<double>(std::uint64_t, std::size_t, std::size_t);
template Outcome Train<float>(const Dataset<float>&, const Settings&, WorkerTeam*);
template Outcome Train<double>(const Dataset<double>&, const Settings&, WorkerTeam*);

}  // namespace sysbench::train
