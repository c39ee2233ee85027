#include "topics/train/trainer.h"

#include <algorithm>
#include <atomic>
#include <cmath>

#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"

namespace sysbench::train {
namespace {

namespace k = kernels;

// Workers meet here twice per step. They spin briefly (a step is microseconds), then sleep on
// the phase word, so a waiting worker does not take the CPU its partner needs on a busy machine.
class SpinBarrier {
 public:
  explicit SpinBarrier(int parties) : parties_(parties) {}
  void Wait() {
    const std::uint64_t phase = phase_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == parties_) {
      arrived_.store(0, std::memory_order_relaxed);
      phase_.store(phase + 1, std::memory_order_release);
      phase_.notify_all();
      return;
    }
    for (int spins = 0; spins < kSpins; ++spins) {
      if (phase_.load(std::memory_order_acquire) != phase) return;
    }
    while (phase_.load(std::memory_order_acquire) == phase) phase_.wait(phase);
  }

 private:
  static constexpr int kSpins = 20000;
  const int parties_;
  std::atomic<int> arrived_{0};
  std::atomic<std::uint64_t> phase_{0};
};

// The SGD steps of one epoch over rows already in shuffled order.
template <typename T>
struct StepLoop {
  k::Rows<T> rows;
  const Settings& settings;
  std::vector<T>& w;
  T& b;

  // One thread: gradient and update per batch.
  std::uint64_t RunAlone(std::vector<T>& scratch, std::vector<double>& grad) const {
    const std::size_t f = rows.features;
    std::uint64_t updates = 0;
    for (std::size_t start = 0; start < rows.count; start += settings.batch) {
      const std::size_t size = std::min(settings.batch, rows.count - start);
      std::fill(grad.begin(), grad.end(), 0.0);
      k::AccumulateGradient(settings.path, Slice(start, size), w.data(), b, scratch.data(),
                            grad.data(), &grad[f]);
      k::ApplyUpdate(w.data(), &b, grad.data(), grad[f], f,
                     settings.lr * 2.0 / static_cast<double>(size));
      ++updates;
    }
    return updates;
  }

  // Several threads: each sums the gradient of its share of the batch, worker 0 adds the
  // shares and updates, and the barrier orders the update before the next batch's reads.
  std::uint64_t RunTeam(WorkerTeam& team, std::vector<std::vector<T>>& scratch,
                        std::vector<std::vector<double>>& grads) const {
    const std::size_t f = rows.features;
    const auto workers = static_cast<std::size_t>(team.Size());
    SpinBarrier barrier(team.Size());
    std::uint64_t updates = 0;
    team.Run([&](int index) {
      const auto me = static_cast<std::size_t>(index);
      for (std::size_t start = 0; start < rows.count; start += settings.batch) {
        const std::size_t size = std::min(settings.batch, rows.count - start);
        const std::size_t lo = start + size * me / workers;
        const std::size_t hi = start + size * (me + 1) / workers;
        std::vector<double>& grad = grads[me];
        std::fill(grad.begin(), grad.end(), 0.0);
        if (hi > lo) {
          k::AccumulateGradient(settings.path, Slice(lo, hi - lo), w.data(), b, scratch[me].data(),
                                grad.data(), &grad[f]);
        }
        barrier.Wait();
        if (me == 0) {
          for (std::size_t t = 1; t < workers; ++t) {
            for (std::size_t j = 0; j <= f; ++j) grad[j] += grads[t][j];
          }
          k::ApplyUpdate(w.data(), &b, grad.data(), grad[f], f,
                         settings.lr * 2.0 / static_cast<double>(size));
          ++updates;
        }
        barrier.Wait();
      }
    });
    return updates;
  }

  k::Rows<T> Slice(std::size_t start, std::size_t size) const {
    return {rows.x + start * rows.features, rows.y + start, size, rows.features};
  }
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
  const std::size_t f = data.features;
  const std::size_t workers = team != nullptr ? static_cast<std::size_t>(team->Size()) : 1;
  std::vector<T> w(f, T{0});
  T b = 0;
  std::vector<std::uint32_t> order(data.count);
  std::vector<T> x(data.x.size()), y(data.y.size());
  std::vector<std::vector<T>> scratch(workers, std::vector<T>(k::GradientScratch(f)));
  std::vector<std::vector<double>> grads(workers, std::vector<double>(f + 1));
  const k::Rows<T> shuffled{x.data(), y.data(), data.count, f};
  const StepLoop<T> loop{shuffled, settings, w, b};
  if (!settings.shuffle) {
    x = data.x;
    y = data.y;
  }
  Outcome out;
  out.status = settings.target_loss > 0 ? Status::kNotReached : Status::kEpochsDone;
  const auto begin = SteadyClock::now();
  while (out.epochs < settings.max_epochs &&
         SecondsBetween(begin, SteadyClock::now()) < settings.max_seconds) {
    const auto t0 = SteadyClock::now();
    if (settings.shuffle) {
      k::Permutation(settings.seed * 1000003 + out.epochs, order.data(), data.count);
      k::GatherRows(data.View(), order.data(), x.data(), y.data());
    }
    const auto t1 = SteadyClock::now();
    out.updates += team != nullptr && team->Size() > 1 ? loop.RunTeam(*team, scratch, grads)
                                                       : loop.RunAlone(scratch[0], grads[0]);
    const auto t2 = SteadyClock::now();
    out.data_seconds += SecondsBetween(t0, t1);
    out.compute_seconds += SecondsBetween(t1, t2);
    ++out.epochs;
    out.final_loss = k::MeanSquaredError(data.View(), w.data(), b);
    if (!std::isfinite(out.final_loss) || out.final_loss > 1e30) {
      out.status = Status::kDiverged;
      break;
    }
    if (settings.target_loss > 0 && out.final_loss <= settings.target_loss) {
      out.status = Status::kReached;
      break;
    }
  }
  out.w.assign(w.begin(), w.end());
  out.b = static_cast<double>(b);
  return out;
}

template Dataset<float> Generate<float>(std::uint64_t, std::size_t, std::size_t);
template Dataset<double> Generate<double>(std::uint64_t, std::size_t, std::size_t);
template Outcome Train<float>(const Dataset<float>&, const Settings&, WorkerTeam*);
template Outcome Train<double>(const Dataset<double>&, const Settings&, WorkerTeam*);

}  // namespace sysbench::train
