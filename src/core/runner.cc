#include "sysbench/runner.h"

#include <algorithm>
#include <cmath>

#include "sysbench/case_budget.h"
#include "sysbench/clock.h"
#include "sysbench/notes.h"

namespace sysbench {
namespace {

// A batch must last at least this many clock steps, so the timer's resolution costs < 0.1%.
constexpr double kMinClockSteps = 1000.0;

std::uint64_t Grow(std::uint64_t iterations, double seconds, double target, std::uint64_t cap) {
  // Aim 40% past the target so the next try usually lands; never grow more than 10x at once.
  double factor = seconds > 0 ? 1.4 * target / seconds : 10.0;
  factor = std::clamp(factor, 2.0, 10.0);
  const double next = std::ceil(static_cast<double>(iterations) * factor);
  return next >= static_cast<double>(cap) ? cap : static_cast<std::uint64_t>(next);
}

}  // namespace

std::vector<Sample> Runner::Measure(const BatchFn& batch) const {
  return MeasureTimed([&batch](std::uint64_t iterations) {
    const auto start = SteadyClock::now();
    batch(iterations);
    return SecondsBetween(start, SteadyClock::now());
  });
}

std::vector<Sample> Runner::MeasureTimed(const TimedBatchFn& batch) const {
  return MeasureFixed(batch, Calibrate(batch));
}

std::uint64_t Runner::Calibrate(const TimedBatchFn& batch) const {
  const double target = std::max(options_.min_time, kMinClockSteps * ClockResolutionSeconds());
  // Calibrate: grow the batch until it lasts the target time. This also warms up.
  std::uint64_t iterations = 1;
  double spent = 0.0;
  double seconds = batch(iterations);
  spent += seconds;
  while (seconds < target && iterations < options_.max_iterations) {
    iterations = Grow(iterations, seconds, target, options_.max_iterations);
    seconds = batch(iterations);
    spent += seconds;
  }
  // Warm up for the rest of the warm-up time at the calibrated size.
  while (spent < options_.warmup) {
    spent += batch(iterations);
  }
  return iterations;
}

std::vector<Sample> Runner::MeasureFixed(const TimedBatchFn& batch,
                                         std::uint64_t iterations) const {
  const CaseBudget budget(options_.case_budget_seconds);
  const int wanted = std::max(options_.repetitions, 1);
  std::vector<Sample> samples;
  samples.reserve(static_cast<std::size_t>(wanted));
  for (int rep = 0; rep < wanted; ++rep) {
    if (rep > 0 && budget.Spent()) {
      if (notes_ != nullptr) notes_->Note(budget.Note("a case", rep, wanted));
      break;
    }
    samples.push_back(Sample{batch(iterations), iterations});
  }
  return samples;
}

std::vector<double> Rates(const std::vector<Sample>& samples, double units_per_iteration,
                          double scale) {
  std::vector<double> rates;
  rates.reserve(samples.size());
  for (const Sample& s : samples) {
    rates.push_back(units_per_iteration * static_cast<double>(s.iterations) / s.seconds / scale);
  }
  return rates;
}

std::vector<double> PerIteration(const std::vector<Sample>& samples, double scale) {
  std::vector<double> values;
  values.reserve(samples.size());
  for (const Sample& s : samples) {
    values.push_back(s.seconds / static_cast<double>(s.iterations) * scale);
  }
  return values;
}

}  // namespace sysbench
