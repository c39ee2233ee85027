// `sysbench train`: the seed's mini-batch SGD demo (y = 3x + 2 + noise, a linear model, MSE,
// SGD at lr 0.01) as a measurement: the learned parameters next to the exact least-squares fit,
// then a batch-size sweep with time to a target loss as the headline, a wider model (--features)
// computed by Eigen and by a plain loop, and the data path (CSV vs a binary columnar file).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <optional>
#include <thread>

#include "sysbench/chart_spec.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/flops/peak_check.h"
#include "topics/registry.h"
#include "topics/train/data_files.h"
#include "topics/train/data_path.h"
#include "topics/train/flops_reference.h"
#include "topics/train/kernels/sgd.h"
#include "topics/train/spread.h"
#include "topics/train/trainer.h"

namespace sysbench {
namespace {

namespace k = kernels;
using train::Dataset;
using train::Outcome;
using train::Settings;
using train::Status;

const std::vector<std::string> kDtypes = {"f32", "f64"};
const std::vector<std::string> kPaths = {"eigen", "scalar"};
// The seed's demo: 100 samples, lr 0.01, 1000 full-batch epochs.
constexpr std::size_t kSeedSamples = 100;
constexpr std::uint64_t kSeedEpochs = 1000;
// Time cap of each run of the fit check (the seed's data converges in milliseconds).
constexpr double kCheckSeconds = 5;
// Rows each thread needs before a batch is split across threads: with --threads, and by default
// (where two barriers per step are surely cheap next to the step).
constexpr std::size_t kRowsPerThread = 1024;
constexpr std::size_t kDefaultRowsPerThread = 16384;

struct Plan {
  std::size_t samples = 0;
  std::vector<std::size_t> batches;
  std::vector<std::size_t> features;
  std::size_t hidden = 0;
  std::vector<std::string> dtypes;
  std::vector<std::string> paths;
  std::vector<int> threads;
  bool threads_given = false;
  std::vector<int> cpus;  // --cpus: pin the workers
  double lr = 0.01;
  double target_ratio = 1.05;
  std::uint64_t epochs = 0;  // 0: until the target loss
  double max_seconds = 1;
  std::uint64_t seed = 1;
  int repetitions = 5;
  bool quick = false;
  std::string data_file;
  std::string save_data;
  bool data_path = true;
  // Seconds the settling rounds of SeedRuns may still take in this whole run (all sweep points).
  std::shared_ptr<double> settle_left;
};

// The exact least-squares fit and its loss: what training should converge to.
struct Fit {
  std::vector<double> w;
  double b = 0;
  double loss = 0;
};

template <typename T>
Fit ExactFit(const Dataset<T>& data) {
  Fit fit;
  fit.w.resize(data.features);
  if (!k::LeastSquares(data.View(), fit.w.data(), &fit.b)) {
    throw UsageError(
        "train: the data set has no unique least-squares fit (too few or repeated "
        "rows)");
  }
  fit.loss = k::MeanSquaredError(data.View(), fit.w.data(), fit.b);
  return fit;
}

double MaxParamError(const Outcome& o, const Fit& fit) {
  double worst = std::abs(o.b - fit.b);
  for (std::size_t j = 0; j < fit.w.size(); ++j)
    worst = std::max(worst, std::abs(o.w[j] - fit.w[j]));
  return worst;
}

// The parameters' distance from the fit only where the model is the fit's (linear).
void AddParams(Result& r, const Outcome& o, const Fit& fit, const std::string& prefix) {
  if (fit.w.size() == 1 && o.w.size() == 1) {
    r.Add({prefix + "w", o.w[0], "", Better::kNone, Source::kComputed});
    r.Add({prefix + "b", o.b, "", Better::kNone, Source::kComputed});
  }
  r.Add({prefix + "loss", o.final_loss, "", Better::kLower, Source::kComputed});
  r.Add(
      {prefix + "loss_over_fit", o.final_loss / fit.loss, "x", Better::kLower, Source::kComputed});
  if (o.w.size() == fit.w.size()) {
    r.Add(
        {prefix + "max_param_error", MaxParamError(o, fit), "", Better::kLower, Source::kComputed});
  }
}

// The seed's run as written (1000 full-batch epochs), then the same until it has converged, next
// to the closed-form fit: the check that the training is real.
template <typename T>
Result SeedCheck(const std::string& dtype, const Dataset<T>& data, const Plan& plan) {
  const Fit fit = ExactFit(data);
  Settings s;
  s.batch = data.count;
  s.lr = plan.lr;
  s.shuffle = false;
  s.max_epochs = kSeedEpochs;
  s.max_seconds = kCheckSeconds;
  const Outcome seed_run = train::Train(data, s, nullptr);
  s.max_epochs = 1000000;
  s.target_loss = fit.loss * (1 + 1e-5);
  const Outcome converged = train::Train(data, s, nullptr);
  Result r("train", "check/" + dtype);
  r.Param("dtype", dtype)
      .Param("samples", std::to_string(data.count))
      .Param("features", std::to_string(data.features))
      .Param("batch", std::to_string(data.count))
      .Param("lr", FormatDouble(plan.lr));
  if (fit.w.size() == 1) {
    r.Add({"fit_w", fit.w[0], "", Better::kNone, Source::kComputed});
    r.Add({"fit_b", fit.b, "", Better::kNone, Source::kComputed});
  }
  r.Add({"fit_loss", fit.loss, "", Better::kNone, Source::kComputed});
  AddParams(r, seed_run, fit, "seed_1000_epochs_");
  r.Add({"converged", std::string(train::ToString(converged.status)), "", Better::kNone,
         Source::kComputed});
  r.Add({"epochs_to_converge", converged.epochs, "", Better::kLower, Source::kComputed});
  AddParams(r, converged, fit, "");
  const bool ok = converged.status == Status::kReached && MaxParamError(converged, fit) <= 0.01 &&
                  converged.final_loss <= 1.01 * fit.loss;
  r.Add(
      {"within_0.01_of_fit", std::string(ok ? "yes" : "no"), "", Better::kNone, Source::kComputed});
  return r;
}

std::string CaseId(const std::string& dtype, std::size_t features, std::size_t hidden,
                   std::size_t batch, const std::string& path, int threads) {
  return "sgd/" + dtype + "/features=" + std::to_string(features) +
         (hidden > 0 ? "/hidden=" + std::to_string(hidden) : "") +
         "/batch=" + std::to_string(batch) + "/" + path + "/threads=" + std::to_string(threads);
}

// A seed's run shorter than this is replayed (same seed, so the same arithmetic and epochs) and
// its time is the fastest replay: interference (a preemption, a neighbour, a slower CPU for a
// while) only adds time, and one preemption is a large part of a millisecond run.
constexpr double kReplaySeconds = 0.1;
constexpr double kQuickReplaySeconds = 0.03;
constexpr int kMaxReplays = 15;
// A seed also runs again while it has run fewer than kMinRuns times and for less than
// kMinRunsSeconds in all (not with --quick), so that no short seed's time rests on one run.
constexpr int kMinRuns = 3;
constexpr double kMinRunsSeconds = 0.25;
// While the seeds' fastest epoch times spread by more than kSettledCvPct (half the 10%
// bar), further rounds of all seeds, for at most kSettleSeconds per sweep point (quick: less).
constexpr double kSettledCvPct = 5;
constexpr double kSettleSeconds = 0.2;
constexpr double kQuickSettleSeconds = 0.05;
constexpr double kRunSettleSeconds = 2;
constexpr double kQuickRunSettleSeconds = 0.2;
constexpr int kMaxSettleRounds = 15;

// The seeds' runs of one sweep point. Each seed runs once in turn; then the replays go round the
// seeds, not seed after seed, so that a slow stretch of the machine (a busy neighbour, the thread
// moved to a slower CPU for a few hundred ms) falls on the replays of every seed alike instead of
// on all the replays of one: the spread over the seeds is then the training's, not the clock's.
template <typename T>
std::vector<Outcome> SeedRuns(const Dataset<T>& data, Settings s, WorkerTeam* team,
                              const Plan& plan, std::vector<double>& replays) {
  std::vector<Outcome> runs;
  std::vector<Settings> seeds;
  for (int rep = 0; rep < plan.repetitions; ++rep) {
    s.seed = plan.seed + static_cast<std::uint64_t>(rep);
    seeds.push_back(s);
    runs.push_back(train::Train(data, s, team));
    replays.push_back(1);
    // A run that diverged or hit the time cap would only do so again: one is enough.
    if (runs.back().status == Status::kDiverged || runs.back().status == Status::kNotReached) {
      return runs;
    }
  }
  const double budget = plan.quick ? kQuickReplaySeconds : kReplaySeconds;
  const int min_runs = plan.quick ? 1 : kMinRuns;
  std::vector<double> spent;
  for (const Outcome& o : runs) spent.push_back(o.TrainSeconds());
  auto replay = [&](std::size_t i) {
    const Outcome again = train::Train(data, seeds[i], team);
    spent[i] += again.TrainSeconds();
    replays[i] += 1;
    if (again.TrainSeconds() < runs[i].TrainSeconds()) {
      runs[i].compute_seconds = again.compute_seconds;
      runs[i].data_seconds = again.data_seconds;
    }
    return again.TrainSeconds();
  };
  for (int round = 1; round < kMaxReplays; ++round) {
    bool replayed = false;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (spent[i] < budget || (round < min_runs && spent[i] < kMinRunsSeconds)) {
        replay(i);
        replayed = true;
      }
    }
    if (!replayed) break;
  }
  // A stretch of interference that covered every run of some seeds so far leaves their fastest
  // epoch times apart: more rounds of all the seeds, within a small budget, let each seed meet the
  // machine as the others did. Where the stretch lasts, the spread stays and is reported.
  const double settle_budget = plan.quick ? kQuickSettleSeconds : kSettleSeconds;
  double settle = 0;
  double& left = *plan.settle_left;
  for (int round = 0; round < kMaxSettleRounds && settle < settle_budget && left > 0; ++round) {
    // Per epoch: seeds that need different epochs spread for a reason of their own.
    std::vector<double> epoch_s;
    for (const Outcome& o : runs) {
      epoch_s.push_back(o.TrainSeconds() /
                        static_cast<double>(std::max<std::uint64_t>(o.epochs, 1)));
    }
    if (runs.size() < 2 || train::CvPct(epoch_s) <= kSettledCvPct) break;
    for (std::size_t i = 0; i < runs.size(); ++i) {
      const double seconds = replay(i);
      settle += seconds;
      left -= seconds;
    }
  }
  return runs;
}

// The peaks of `sysbench flops` for a dtype, measured once per run.
struct Peaks {
  std::optional<train::FlopsPeak> baseline, widest;
};

// Only the dtypes a run uses are measured (each static starts on its own first use).
const Peaks& PeaksFor(bool is_f64, bool quick) {
  if (is_f64) {
    static const Peaks f64{train::MeasureFlopsPeak(true, false, quick),
                           train::MeasureFlopsPeak(true, true, quick)};
    return f64;
  }
  static const Peaks f32{train::MeasureFlopsPeak(false, false, quick),
                         train::MeasureFlopsPeak(false, true, quick)};
  return f32;
}

void AddPeak(Result& r, const std::optional<train::FlopsPeak>& peak, double gflops, int threads,
             const std::string& name) {
  if (!peak) return;
  const double all = peak->gflops * threads;
  r.Param(name + "_kernel", peak->kernel);
  // One thread measured; for a team, times the threads.
  r.Add({name + "_gflops", all, "GFLOP/s", Better::kNone,
         threads == 1 ? Source::kMeasured : Source::kComputed});
  // A step faster than the peak means the peak's rounds were all slowed (a busy machine): then
  // the reason, not a percentage.
  std::string problem;
  if (const std::optional<double> pct = PercentOfPeak(gflops, all, problem)) {
    r.Add({"gflops_over_" + name + "_pct", *pct, "%", Better::kHigher, Source::kComputed});
  } else {
    r.Add({"gflops_over_" + name + "_pct", "none: the step " + problem, "", Better::kNone,
           Source::kComputed});
  }
}

// One sweep point: `repetitions` runs with different shuffle seeds, to the target loss (or for
// --epochs), each capped in time.
template <typename T>
Result SweepCase(const std::string& dtype, const Dataset<T>& data, const Fit& fit,
                 std::size_t batch, const std::string& path, int threads, const Plan& plan) {
  Result r("train", CaseId(dtype, data.features, plan.hidden, batch, path, threads));
  r.Param("dtype", dtype)
      .Param("samples", std::to_string(data.count))
      .Param("features", std::to_string(data.features))
      .Param("hidden", std::to_string(plan.hidden))
      .Param("batch", std::to_string(batch))
      .Param("path", path)
      .Param("threads", std::to_string(threads))
      .Param("lr", FormatDouble(plan.lr));
  Settings s;
  s.hidden = plan.hidden;
  s.init_seed = plan.seed;
  s.batch = batch;
  s.lr = plan.lr;
  s.path = path == "eigen" ? k::MathPath::kEigen : k::MathPath::kScalar;
  s.max_seconds = plan.max_seconds;
  if (plan.epochs > 0) {
    s.max_epochs = plan.epochs;
  } else {
    s.max_epochs = std::numeric_limits<std::uint64_t>::max();
    s.target_loss = fit.loss * plan.target_ratio;
  }
  std::unique_ptr<WorkerTeam> team;
  // Pinned only with --cpus: on a busy machine a pinned worker waits for its one CPU while the
  // other one is free, and every step waits for the slowest worker.
  if (threads > 1) team = std::make_unique<WorkerTeam>(threads, plan.cpus);
  std::vector<double> replays;
  const std::vector<Outcome> runs = SeedRuns(data, s, team.get(), plan, replays);
  const Outcome& last = runs.back();
  Status status = Status::kReached;
  for (const Outcome& o : runs) {
    if (o.status == Status::kDiverged) status = Status::kDiverged;
    if (o.status == Status::kNotReached && status != Status::kDiverged) status = o.status;
    if (o.status == Status::kEpochsDone && status == Status::kReached) status = o.status;
  }
  r.Add({"status", std::string(train::ToString(status)), "", Better::kNone, Source::kComputed});
  if (status == Status::kDiverged) {
    r.Add({"epochs_to_divergence", last.epochs, "", Better::kNone, Source::kComputed});
    return r;
  }
  std::vector<double> to_target, samples_per_s, updates_per_s, epoch_s, compute_s, data_share,
      epochs;
  for (const Outcome& o : runs) {
    const double seconds = o.TrainSeconds();
    to_target.push_back(seconds);
    epochs.push_back(static_cast<double>(o.epochs));
    samples_per_s.push_back(static_cast<double>(o.epochs * data.count) / seconds);
    updates_per_s.push_back(static_cast<double>(o.updates) / seconds);
    epoch_s.push_back(seconds / static_cast<double>(o.epochs));
    compute_s.push_back(o.compute_seconds / static_cast<double>(o.epochs));
    data_share.push_back(100.0 * o.data_seconds / seconds);
  }
  if (status == Status::kReached) {
    r.AddSampled("time_to_target_s", to_target, "s", Better::kLower);
    const double cv = train::CvPct(to_target);
    r.Add({"time_to_target_cv_pct", cv, "%", Better::kLower, Source::kComputed});
    r.Add({"time_to_target_min_s", *std::min_element(to_target.begin(), to_target.end()), "s",
           Better::kLower, Source::kMeasured});
    r.Add({"time_to_target_max_s", *std::max_element(to_target.begin(), to_target.end()), "s",
           Better::kLower, Source::kMeasured});
    r.Add({"seeds", static_cast<double>(runs.size()), "", Better::kNone, Source::kComputed});
    r.Add({"replays_per_seed", Median(replays), "", Better::kNone, Source::kComputed});
    // How much of the spread is the seeds' (epochs differ) rather than the clock's.
    r.Add({"epochs_cv_pct", train::CvPct(epochs), "%", Better::kNone, Source::kComputed});
    r.Add({"epoch_time_cv_pct", train::CvPct(epoch_s), "%", Better::kLower, Source::kComputed});
    r.Add({"stable", std::string(train::Stability(cv, train::CvPct(epoch_s), runs.size())), "",
           Better::kNone, Source::kComputed});
    r.Add({"epochs_to_target", Median(epochs), "", Better::kLower, Source::kMeasured});
    r.Add({"epochs_x_epoch_time_s", Median(epochs) * Median(epoch_s), "s", Better::kNone,
           Source::kComputed});
  } else {
    r.Add({"epochs", Median(epochs), "", Better::kNone, Source::kMeasured});
  }
  const double sps = Median(samples_per_s);
  r.Add({"samples_per_s", sps, "1/s", Better::kHigher, Source::kMeasured});
  r.Add({"updates_per_s", Median(updates_per_s), "1/s", Better::kHigher, Source::kMeasured});
  r.Add({"epoch_time_s", Median(epoch_s), "s", Better::kLower, Source::kMeasured});
  r.Add({"data_share_pct", Median(data_share), "%", Better::kLower, Source::kMeasured});
  // Whole batches, then the short last one (drop_last=False).
  const k::Model model{data.features, plan.hidden};
  const std::size_t rest = data.count % batch;
  const double flops_per_epoch =
      static_cast<double>(data.count / batch) * k::StepFlops(model, batch) +
      (rest > 0 ? k::StepFlops(model, rest) : 0.0);
  // The batch steps' rate: compute time only, the shuffle is not arithmetic.
  const double gflops = flops_per_epoch / Median(compute_s) / 1e9;
  r.Add({"gflops", gflops, "GFLOP/s", Better::kHigher, Source::kMeasured});
  const Peaks& peaks = PeaksFor(dtype == "f64", plan.quick);
  AddPeak(r, peaks.baseline, gflops, threads, "peak_same_isa");
  AddPeak(r, peaks.widest, gflops, threads, "peak_widest_isa");
  AddParams(r, last, fit, "");
  return r;
}

std::vector<std::size_t> DefaultBatches(std::size_t samples) {
  std::vector<std::size_t> batches;
  for (std::size_t b = 1; b < samples; b *= 4) batches.push_back(b);
  batches.push_back(samples);
  return batches;
}

template <typename T>
void Sweep(const std::string& dtype, const Dataset<T>& data, const Plan& plan, ResultSink& sink) {
  const Fit fit = ExactFit(data);
  for (std::size_t batch : plan.batches) {
    if (batch > data.count) {
      throw UsageError("--batch " + std::to_string(batch) + ": larger than the data set (" +
                       std::to_string(data.count) + " samples)");
    }
    for (const std::string& path : plan.paths) {
      for (int threads : plan.threads) {
        const std::size_t min_rows = plan.threads_given ? kRowsPerThread : kDefaultRowsPerThread;
        if (threads > 1 && batch < min_rows * static_cast<std::size_t>(threads)) continue;
        sink.Emit(SweepCase(dtype, data, fit, batch, path, threads, plan));
      }
    }
  }
}

template <typename T>
void RunDtype(const std::string& dtype, const Plan& plan, ResultSink& sink) {
  if (plan.data_file.empty()) {
    sink.Emit(SeedCheck(dtype, train::Generate<T>(plan.seed, kSeedSamples, 1), plan));
  }
  for (std::size_t features : plan.features) {
    const Dataset<T> data = plan.data_file.empty()
                                ? train::Generate<T>(plan.seed, plan.samples, features)
                                : train::LoadDataFile<T>(plan.data_file);
    // A fixed --epochs run is a comparison with another trainer: the fit check would only add time.
    if (!plan.data_file.empty() && plan.epochs == 0) sink.Emit(SeedCheck(dtype, data, plan));
    Sweep(dtype, data, plan, sink);
    if (!plan.data_file.empty()) break;
  }
}

class TrainCommand final : public Command {
 public:
  std::string_view Name() const override { return "train"; }
  std::string_view Summary() const override {
    return "Mini-batch SGD of the seed's linear model: batch-size sweep, time to target loss";
  }
  std::vector<std::string> GateMetrics() const override { return {"time_to_target_s"}; }
  std::vector<ChartSpec> Charts() const override {
    const std::vector<std::string> series = {"dtype", "features", "hidden", "path", "threads"};
    return {ChartSpec::Line("Samples per second vs batch size", "samples_per_s", "batch",
                            "batch size", series),
            ChartSpec::Line("Time to target loss vs batch size", "time_to_target_s", "batch",
                            "batch size", series)};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--samples", samples_,
                   "Samples in the generated data set (default 8192, quick 2048)");
    sub.add_option("--batch", batches_, "Batch sizes, e.g. 1,32,1024 (default 1,4,16,... and all)");
    sub.add_option("--features", features_, "Inputs of the model (list, default 1)");
    sub.add_option("--hidden", hidden_,
                   "Hidden ReLU units: one hidden layer between inputs and output (default 0: the "
                   "seed's linear model)");
    sub.add_option("--dtype", dtypes_, "f32,f64 (default both)");
    sub.add_option("--path", paths_,
                   "eigen,scalar: how the batch gradient is computed (both; --quick: eigen)");
    sub.add_option("--lr", lr_, "Learning rate of SGD (default 0.01, the seed's)");
    sub.add_option("--epochs", epochs_, "Train exactly this many epochs (default: to the target)");
    sub.add_option("--target", target_,
                   "Target loss as a multiple of the least-squares fit's loss (default 1.05)");
    sub.add_option("--max-time", max_time_,
                   "Time cap per training run (default 0.5s, quick 0.25s)");
    sub.add_option("--seed", seed_, "Seed of the data and of the shuffles (default 1)");
    sub.add_option("--data", data_, "Train on this file (CSV x1,...,y or the binary layout)");
    sub.add_option(
        "--save-data", save_,
        "Only write the generated data set to this file (.sbt: binary layout, else CSV)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const Plan plan = MakePlan(context.config);
    if (!plan.save_data.empty()) {
      SaveData(plan);
      return;
    }
    for (const std::string& dtype : plan.dtypes) {
      if (dtype == "f32") {
        RunDtype<float>(dtype, plan, sink);
      } else {
        RunDtype<double>(dtype, plan, sink);
      }
    }
    if (plan.data_path && plan.data_file.empty()) {
      for (Result& r : train::MeasureDataPath(plan.seed, plan.samples, plan.features.front())) {
        sink.Emit(std::move(r));
      }
    }
  }

 private:
  Plan MakePlan(const RunConfig& config) const {
    Plan p;
    const bool quick = config.quick;
    p.quick = quick;
    p.samples = samples_.empty()
                    ? (quick ? 2048 : 8192)
                    : static_cast<std::size_t>(ParseInt(samples_, "--samples", 2, 1 << 26));
    p.lr = ParseLearningRate(lr_);
    p.target_ratio = ParseSeconds(target_, "--target", 1.0, 1e6);
    if (!(p.target_ratio > 1.0)) throw UsageError("--target " + target_ + ": must be above 1");
    p.max_seconds =
        max_time_.empty() ? (quick ? 0.2 : 1.0) : ParseSeconds(max_time_, "--max-time", 1e-3, 3600);
    p.seed = static_cast<std::uint64_t>(ParseInt(seed_, "--seed", 0, 1LL << 62));
    p.epochs = epochs_.empty()
                   ? 0
                   : static_cast<std::uint64_t>(ParseInt(epochs_, "--epochs", 1, 1LL << 40));
    for (auto f : ParseIntList(features_, "--features", 1, 4096)) {
      p.features.push_back(static_cast<std::size_t>(f));
    }
    p.hidden = static_cast<std::size_t>(ParseInt(hidden_, "--hidden", 0, 4096));
    for (std::size_t f : p.features) {
      if (f * p.hidden > (std::size_t{1} << 22)) {
        throw UsageError("--hidden " + hidden_ + ": more than 2^22 weights with --features " +
                         std::to_string(f));
      }
    }
    p.dtypes = ParseNameList(dtypes_, "--dtype", kDtypes);
    // --quick compares the two paths only when asked to.
    p.paths = ParseNameList(paths_.empty() ? (quick ? "eigen" : "eigen,scalar") : paths_, "--path",
                            kPaths);
    // The statistic: time to target over 5 seeds (3 with --quick).
    p.repetitions = config.repetitions > 0 ? config.repetitions : (quick ? 3 : 5);
    p.settle_left = std::make_shared<double>(quick ? kQuickRunSettleSeconds : kRunSettleSeconds);
    p.cpus = config.cpus;
    p.data_file = data_;
    p.save_data = save_;
    if (!p.data_file.empty()) {
      p.samples = train::DataFileRows(p.data_file);
      p.data_path = false;
    }
    for (std::size_t f : p.features) {
      if (p.data_file.empty() && p.samples <= f + 1) {
        throw UsageError("--samples " + std::to_string(p.samples) +
                         ": a fit needs more samples than inputs + 1 (--features " +
                         std::to_string(f) + ")");
      }
    }
    if (batches_.empty()) {
      p.batches = DefaultBatches(p.samples);
    } else {
      for (auto b : ParseIntList(batches_, "--batch", 1, 1LL << 40)) {
        if (static_cast<std::uint64_t>(b) > p.samples) {
          throw UsageError("--batch " + std::to_string(b) + ": larger than the data set (" +
                           std::to_string(p.samples) + " samples)");
        }
        p.batches.push_back(static_cast<std::size_t>(b));
      }
    }
    if (config.threads.empty()) {
      p.threads = {1};
      const int hw = static_cast<int>(WorkerCpus(config.cpus).size());
      if (hw > 1) p.threads.push_back(hw);
    } else {
      p.threads = config.threads;
      p.threads_given = true;
    }
    return p;
  }

  // The data set the runs would train on, for another program (bench/compare/train.sh).
  static void SaveData(const Plan& plan) {
    const Dataset<double> data =
        train::Generate<double>(plan.seed, plan.samples, plan.features.front());
    const std::string& path = plan.save_data;
    const bool columnar = path.size() > 4 && path.substr(path.size() - 4) == ".sbt";
    if (columnar) {
      train::SaveColumnar(data, path);
    } else {
      train::SaveCsv(data, path);
    }
  }

  static double ParseLearningRate(const std::string& text) {
    double lr = std::numeric_limits<double>::quiet_NaN();
    try {
      std::size_t used = 0;
      lr = std::stod(text, &used);
      if (used != text.size()) lr = std::numeric_limits<double>::quiet_NaN();
    } catch (const std::exception&) {
    }
    if (!std::isfinite(lr) || lr <= 0) {
      throw UsageError("--lr " + text + ": must be a finite number above 0");
    }
    return lr;
  }

  std::string samples_;
  std::string batches_;
  std::string features_ = "1";
  std::string dtypes_ = "f32,f64";
  std::string hidden_ = "0";
  std::string paths_;
  std::string lr_ = "0.01";
  std::string epochs_;
  std::string target_ = "1.05";
  std::string max_time_;
  std::string seed_ = "1";
  std::string data_;
  std::string save_;
};

}  // namespace

std::unique_ptr<Command> MakeTrainCommand() { return std::make_unique<TrainCommand>(); }

}  // namespace sysbench
