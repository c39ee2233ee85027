// One training run of `sysbench train`: per epoch a shuffle and gather (timed as data movement),
// then the mini-batch SGD steps (timed as compute), then the full-data loss (not timed), until the
// target loss, a fixed number of epochs, divergence, or the time cap. With a team, every phase is
// split across the workers, which stay in one parallel region for the whole run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sysbench/parallel.h"
#include "topics/train/kernels/sgd.h"

namespace sysbench::train {

// A data set in memory, row-major as the gradient kernels read it.
template <typename T>
struct Dataset {
  std::size_t count = 0;
  std::size_t features = 0;
  std::vector<T> x;  // count * features
  std::vector<T> y;  // count
  kernels::Rows<T> View() const { return {x.data(), y.data(), count, features}; }
};

template <typename T>
Dataset<T> Generate(std::uint64_t seed, std::size_t count, std::size_t features);

struct Settings {
  std::size_t hidden = 0;       // hidden units (0: the seed's linear model)
  std::uint64_t init_seed = 1;  // starting weights of the hidden layer
  std::size_t batch = 1;
  double lr = 0.01;
  kernels::MathPath path = kernels::MathPath::kEigen;
  std::uint64_t seed = 0;  // shuffle order of every epoch
  bool shuffle = true;
  double target_loss = 0;  // stop once the loss is <= this (0: never)
  std::uint64_t max_epochs = 1000;
  double max_seconds = 1;  // training time cap (loss evaluation included)
};

enum class Status { kReached, kNotReached, kDiverged, kEpochsDone };
const char* ToString(Status status);

struct Outcome {
  Status status = Status::kEpochsDone;
  std::uint64_t epochs = 0;
  std::uint64_t updates = 0;
  double compute_seconds = 0;  // the SGD steps
  double data_seconds = 0;     // shuffling and gathering the rows of each epoch
  double final_loss = 0;
  std::vector<double> params;  // all learned parameters (kernels::Model's layout)
  std::vector<double> w;       // linear model: the weights (zero-initialised, like the peer)
  double b = 0;
  double TrainSeconds() const { return compute_seconds + data_seconds; }
};

// team: nullptr or a team whose workers split every batch's rows. The result does not depend on
// the team's size beyond the rounding of the gradient's sum.
template <typename T>
Outcome Train(const Dataset<T>& data, const Settings& settings, WorkerTeam* team);

}  // namespace sysbench::train
