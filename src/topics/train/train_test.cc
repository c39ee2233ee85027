// `sysbench train`: the gradient and the fit computed right, training that converges to the exact
// least-squares fit in f32 and f64, determinism, divergence reported, the data files round trip
// and bad files refused, and bad options failing cleanly (exit 2).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "sysbench/error.h"
#include "temp_dir.h"
#include "topics/train/data_files.h"
#include "topics/train/kernels/sgd.h"
#include "topics/train/spread.h"
#include "topics/train/trainer.h"

namespace sysbench::testing {
namespace {

namespace k = kernels;
using train::Dataset;
using train::Settings;
using train::Status;

template <typename T>
Dataset<T> Exact(std::size_t n) {  // y = 3x + 2 with no noise
  Dataset<T> d;
  d.count = n;
  d.features = 1;
  for (std::size_t i = 0; i < n; ++i) {
    d.x.push_back(static_cast<T>(i) / static_cast<T>(n));
    d.y.push_back(3 * d.x.back() + 2);
  }
  return d;
}

TEST(TrainKernels, LeastSquaresRecoversAnExactLine) {
  const Dataset<double> d = Exact<double>(50);
  double w = 0, b = 0;
  ASSERT_TRUE(k::LeastSquares(d.View(), &w, &b));
  EXPECT_NEAR(w, 3.0, 1e-12);
  EXPECT_NEAR(b, 2.0, 1e-12);
  EXPECT_NEAR(k::MeanSquaredError(d.View(), &w, b), 0.0, 1e-20);
}

TEST(TrainKernels, LeastSquaresRefusesASingularSystem) {
  Dataset<double> d;
  d.count = 3;
  d.features = 1;
  d.x = {1, 1, 1};
  d.y = {1, 2, 3};
  double w = 0, b = 0;
  EXPECT_FALSE(k::LeastSquares(d.View(), &w, &b));
}

TEST(TrainKernels, GradientByHandAndBothPathsAgree) {
  // x = (1, 2), y = (1, 1), w = 1, b = 0: residuals (0, 1), sum r x = 2, sum r = 1.
  const float x[] = {1, 2}, y[] = {1, 1}, params[] = {1, 0};
  const k::Model linear{1, 0};
  std::vector<float> scratch(k::GradientScratch(linear));
  for (k::MathPath path : {k::MathPath::kScalar, k::MathPath::kEigen}) {
    double grad[2] = {0, 0};
    k::AccumulateGradient<float>(path, linear, {x, y, 2, 1}, params, scratch.data(), grad);
    EXPECT_EQ(grad[0], 2.0);
    EXPECT_EQ(grad[1], 1.0);
  }
  // Wider rows across more than one block: the two paths agree closely.
  const Dataset<double> d = train::Generate<double>(7, k::kBlockRows + 300, 33);
  const k::Model wide{33, 0};
  std::vector<double> p(34, 0.25), s(k::GradientScratch(wide));
  std::vector<double> g1(34), g2(34);
  k::AccumulateGradient(k::MathPath::kScalar, wide, d.View(), p.data(), s.data(), g1.data());
  k::AccumulateGradient(k::MathPath::kEigen, wide, d.View(), p.data(), s.data(), g2.data());
  for (std::size_t j = 0; j < 34; ++j) EXPECT_NEAR(g1[j], g2[j], 1e-9 * std::abs(g1[j]) + 1e-9);
}

// Half the summed squared error's gradient by central differences, against both paths.
void ExpectGradientMatchesFiniteDifferences(k::Model model, std::size_t rows) {
  const Dataset<double> d = train::Generate<double>(5, rows, model.features);
  std::vector<double> params(model.Params());
  k::InitParams(model, 9, params.data());
  if (model.hidden == 0) {
    for (std::size_t p = 0; p < params.size(); ++p) params[p] = 0.3 - 0.1 * static_cast<double>(p);
  }
  std::vector<double> numeric(params.size());
  for (std::size_t p = 0; p < params.size(); ++p) {
    const double h = 1e-6, saved = params[p];
    params[p] = saved + h;
    const double up = k::SumSquaredError(model, d.View(), params.data());
    params[p] = saved - h;
    const double down = k::SumSquaredError(model, d.View(), params.data());
    params[p] = saved;
    numeric[p] = (up - down) / (2 * h) / 2;
  }
  std::vector<double> scratch(k::GradientScratch(model));
  for (k::MathPath path : {k::MathPath::kScalar, k::MathPath::kEigen}) {
    std::vector<double> grad(params.size(), 0.0);
    k::AccumulateGradient(path, model, d.View(), params.data(), scratch.data(), grad.data());
    for (std::size_t p = 0; p < params.size(); ++p) {
      EXPECT_NEAR(grad[p], numeric[p], 1e-6 * (1 + std::abs(numeric[p])))
          << "parameter " << p << (path == k::MathPath::kEigen ? " eigen" : " scalar");
    }
  }
}

TEST(TrainKernels, LinearGradientMatchesFiniteDifferences) {
  ExpectGradientMatchesFiniteDifferences({3, 0}, 7);
}

TEST(TrainKernels, HiddenLayerGradientMatchesFiniteDifferences) {
  // 3 inputs, 4 hidden units, 5 rows; then more rows than one hidden block.
  ExpectGradientMatchesFiniteDifferences({3, 4}, 5);
  ExpectGradientMatchesFiniteDifferences({2, 3}, k::kHiddenBlockRows + 17);
}

TEST(TrainKernels, HiddenLayerOutputByHand) {
  // 1 input, 2 units: W1 = (1, -1), b1 = (0, 0.5), w2 = (2, 3), b2 = 1. At x = 1: z = (1, -0.5),
  // relu (1, 0), out = 2 + 1 = 3; y = 2 gives r = 1 and a squared error of 1.
  const k::Model m{1, 2};
  const double params[] = {1, -1, 0, 0.5, 2, 3, 1};
  const double x[] = {1}, y[] = {2};
  const k::Rows<double> row{x, y, 1, 1};
  EXPECT_EQ((k::SumSquaredError<double, double>(m, row, params)), 1.0);
  std::vector<double> scratch(k::GradientScratch(m)), grad(7, 0.0);
  k::AccumulateGradient<double>(k::MathPath::kScalar, m, row, params, scratch.data(), grad.data());
  // dW1 = (r w2_0 x, 0), db1 = (r w2_0, 0), dw2 = r a = (1, 0), db2 = r.
  const std::vector<double> want = {2, 0, 2, 0, 1, 0, 1};
  EXPECT_EQ(grad, want);
  EXPECT_EQ(k::StepFlops(m, 1), 4.0 * 2 + 9.0 * 2 + 3 + 2.0 * 7);
}

TEST(TrainKernels, BucketShuffleIsAPermutationWhateverTheSplit) {
  const std::size_t n = 5000, buckets = k::kShuffleBuckets;
  auto shuffle = [&](std::size_t workers) {
    std::vector<std::size_t> counts(workers * buckets, 0);
    for (std::size_t w = 0; w < workers; ++w) {
      k::CountBuckets(42, n * w / workers, n * (w + 1) / workers, counts.data() + w * buckets);
    }
    std::vector<std::uint32_t> order(n);
    std::vector<std::size_t> first(buckets + 1, 0);
    for (std::size_t b = 0; b < buckets; ++b) {
      std::size_t total = 0;
      for (std::size_t w = 0; w < workers; ++w) total += counts[w * buckets + b];
      first[b + 1] = first[b] + total;
    }
    for (std::size_t w = 0; w < workers; ++w) {
      std::vector<std::size_t> next(buckets);
      for (std::size_t b = 0; b < buckets; ++b) {
        next[b] = first[b];
        for (std::size_t v = 0; v < w; ++v) next[b] += counts[v * buckets + b];
      }
      k::ScatterBuckets(42, n * w / workers, n * (w + 1) / workers, next.data(), order.data());
    }
    for (std::size_t b = 0; b < buckets; ++b) {
      k::ShuffleBucketSlots(42, b, order.data(), first[b], first[b + 1]);
    }
    return order;
  };
  const std::vector<std::uint32_t> one = shuffle(1);
  EXPECT_EQ(one, shuffle(3));
  std::vector<std::uint32_t> sorted = one;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < n; ++i) ASSERT_EQ(sorted[i], i);
  // Shuffled: few indices stay in place (a uniform permutation fixes one on average).
  std::size_t fixed = 0;
  for (std::uint32_t i = 0; i < n; ++i) fixed += one[i] == i;
  EXPECT_LT(fixed, 10u);
}

TEST(TrainKernels, PermutationIsAPermutationAndDeterministic) {
  std::vector<std::uint32_t> a(1000), b(1000);
  k::Permutation(5, a.data(), a.size());
  k::Permutation(5, b.data(), b.size());
  EXPECT_EQ(a, b);
  std::vector<std::uint32_t> sorted = a;
  std::sort(sorted.begin(), sorted.end());
  for (std::uint32_t i = 0; i < 1000; ++i) EXPECT_EQ(sorted[i], i);
  k::Permutation(6, b.data(), b.size());
  EXPECT_NE(a, b);
}

TEST(TrainKernels, GeneratedDataFollowsTheSeedsModel) {
  const Dataset<double> d = train::Generate<double>(1, 20000, 1);
  double w = 0, b = 0;
  ASSERT_TRUE(k::LeastSquares(d.View(), &w, &b));
  EXPECT_NEAR(w, 3.0, 0.02);
  EXPECT_NEAR(b, 2.0, 0.01);
  // The residual variance is the noise's: 0.1^2.
  EXPECT_NEAR(k::MeanSquaredError(d.View(), &w, b), 0.01, 0.0005);
  for (double x : d.x) ASSERT_TRUE(x >= 0 && x < 1);
}

template <typename T>
void ExpectConvergesToTheFit(std::size_t batch) {
  const Dataset<T> d = train::Generate<T>(1, 100, 1);
  double fw = 0, fb = 0;
  ASSERT_TRUE(k::LeastSquares(d.View(), &fw, &fb));
  const double fit_loss = k::MeanSquaredError(d.View(), &fw, fb);
  Settings s;
  s.batch = batch;
  s.lr = 0.01;
  s.max_epochs = 200000;
  s.max_seconds = 60;
  s.target_loss = fit_loss * (1 + 1e-5);
  const train::Outcome o = train::Train(d, s, nullptr);
  EXPECT_EQ(o.status, Status::kReached);
  EXPECT_NEAR(o.w[0], fw, 0.01);
  EXPECT_NEAR(o.b, fb, 0.01);
  EXPECT_LE(o.final_loss, 1.01 * fit_loss);
  EXPECT_EQ(o.updates, o.epochs * ((100 + batch - 1) / batch));
}

TEST(Train, FullBatchConvergesToTheLeastSquaresFitF32) { ExpectConvergesToTheFit<float>(100); }
TEST(Train, FullBatchConvergesToTheLeastSquaresFitF64) { ExpectConvergesToTheFit<double>(100); }
TEST(Train, MiniBatchesConvergeToo) { ExpectConvergesToTheFit<double>(10); }

TEST(Train, SameSeedSameParameters) {
  const Dataset<float> d = train::Generate<float>(3, 500, 1);
  Settings s;
  s.batch = 7;
  s.max_epochs = 20;
  s.seed = 11;
  const train::Outcome a = train::Train(d, s, nullptr);
  const train::Outcome b = train::Train(d, s, nullptr);
  EXPECT_EQ(a.w, b.w);
  EXPECT_EQ(a.b, b.b);
  EXPECT_EQ(a.status, Status::kEpochsDone);
  EXPECT_EQ(a.epochs, 20u);
}

TEST(Train, TwoThreadsLearnWhatOneDoes) {
  const Dataset<double> d = train::Generate<double>(3, 8192, 4);
  Settings s;
  s.batch = 4096;
  s.max_epochs = 30;
  s.max_seconds = 60;
  const train::Outcome one = train::Train(d, s, nullptr);
  WorkerTeam team(2, {});
  const train::Outcome two = train::Train(d, s, &team);
  EXPECT_EQ(one.updates, two.updates);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_NEAR(one.w[j], two.w[j], 1e-9);
  EXPECT_NEAR(one.b, two.b, 1e-9);
}

TEST(Train, TwoThreadsShuffleInBucketsAsOneDoes) {
  // Enough rows for the bucket shuffle that the workers share.
  const Dataset<float> d = train::Generate<float>(4, 70001, 2);
  Settings s;
  s.batch = 35000;
  s.max_epochs = 3;
  s.max_seconds = 60;
  s.seed = 5;
  const train::Outcome one = train::Train(d, s, nullptr);
  // Three workers too: the pieces of each phase are claimed, so any worker may take any of them.
  for (int workers : {2, 3}) {
    WorkerTeam team(workers, {});
    const train::Outcome more = train::Train(d, s, &team);
    EXPECT_EQ(one.updates, more.updates);
    for (std::size_t j = 0; j < 2; ++j) EXPECT_NEAR(one.w[j], more.w[j], 1e-5) << workers;
    EXPECT_NEAR(one.b, more.b, 1e-5) << workers;
    EXPECT_NEAR(one.final_loss, more.final_loss, 1e-6) << workers;
  }
}

TEST(Train, TwoThreadsTrainTheHiddenLayerAsOneDoes) {
  const Dataset<double> d = train::Generate<double>(3, 2048, 8);
  Settings s;
  s.hidden = 16;
  s.batch = 1024;
  s.lr = 0.05;
  s.max_epochs = 20;
  s.max_seconds = 60;
  const train::Outcome one = train::Train(d, s, nullptr);
  WorkerTeam team(2, {});
  const train::Outcome two = train::Train(d, s, &team);
  ASSERT_EQ(one.params.size(), 8u * 16 + 2 * 16 + 1);
  for (std::size_t p = 0; p < one.params.size(); ++p) {
    EXPECT_NEAR(one.params[p], two.params[p], 1e-9);
  }
  EXPECT_NEAR(one.final_loss, two.final_loss, 1e-12);
  // It learns: the loss falls below that of the best constant (the variance of y, 0.085).
  EXPECT_LT(one.final_loss, 0.05);
}

TEST(Train, TooLargeARateDiverges) {
  const Dataset<double> d = train::Generate<double>(1, 100, 1);
  Settings s;
  s.batch = 100;
  s.lr = 5;
  s.max_epochs = 100000;
  s.target_loss = 0.0101;
  EXPECT_EQ(train::Train(d, s, nullptr).status, Status::kDiverged);
}

TEST(TrainSpread, CvAndStabilityOnKnownValues) {
  // Mean 2, sample standard deviation 1.
  EXPECT_DOUBLE_EQ(train::CvPct({1, 2, 3}), 50.0);
  EXPECT_EQ(train::CvPct({4}), 0.0);
  EXPECT_EQ(train::CvPct({}), 0.0);
  EXPECT_STREQ(train::Stability(10.0, 30.0, 5), "yes");
  EXPECT_STREQ(train::Stability(25.0, 2.0, 5), "no (the seeds need different epochs)");
  EXPECT_STREQ(train::Stability(25.0, 25.0, 5), "no (epoch times spread: noise)");
  EXPECT_STREQ(train::Stability(1.0, 1.0, 2), "no (fewer than 3 seeds)");
}

TEST(TrainFiles, CsvAndColumnarRoundTripExactly) {
  TempDir dir;
  const Dataset<float> d = train::Generate<float>(2, 333, 3);
  for (const std::string name : {"d.csv", "d.sbt"}) {
    const std::string path = (dir / name).string();
    if (name == "d.csv") {
      train::SaveCsv(d, path);
    } else {
      train::SaveColumnar(d, path);
    }
    const Dataset<float> back = train::LoadDataFile<float>(path);
    EXPECT_EQ(back.count, 333u) << name;
    EXPECT_EQ(back.features, 3u) << name;
    EXPECT_EQ(back.x, d.x) << name;
    EXPECT_EQ(back.y, d.y) << name;
    EXPECT_EQ(train::DataFileRows(path), 333u);
  }
  // The layout as documented: magic, then the y column after three x columns.
  std::ifstream in((dir / "d.sbt").string(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(bytes.substr(0, 8), "SBTRAIN1");
  const std::size_t stride = (333 * 4 + 63) / 64 * 64;
  ASSERT_EQ(bytes.size(), 64 + 4 * stride);
  float y0 = 0;
  std::memcpy(&y0, bytes.data() + 64 + 3 * stride, 4);
  EXPECT_EQ(y0, d.y[0]);
}

TEST(TrainFiles, TruncatedOrForeignFilesAreRefused) {
  TempDir dir;
  const std::string bin = (dir / "d.sbt").string();
  train::SaveColumnar(train::Generate<float>(2, 100, 1), bin);
  std::filesystem::resize_file(bin, std::filesystem::file_size(bin) - 1);
  EXPECT_THROW(train::LoadDataFile<float>(bin), UsageError);
  std::filesystem::resize_file(bin, 10);
  EXPECT_THROW(train::LoadDataFile<float>(bin), UsageError);
  const std::string foreign = (dir / "f.csv").string();
  std::ofstream(foreign) << "name,age\nbob,3\n";
  EXPECT_THROW(train::LoadDataFile<float>(foreign), UsageError);
  const std::string cut = (dir / "c.csv").string();
  std::ofstream(cut) << "x1,y\n0.5,3.5\n0.25,\n";
  EXPECT_THROW(train::LoadDataFile<float>(cut), UsageError);
}

TEST(TrainCli, BadInputFailsCleanly) {
  const std::vector<std::string> base = {"train", "--samples", "100"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  ExpectUsageError(with({"--batch", "0"}), "--batch");
  ExpectUsageError(with({"--batch", "101"}), "--batch");
  ExpectUsageError(with({"--lr", "0"}), "--lr");
  ExpectUsageError(with({"--lr", "-0.1"}), "--lr");
  ExpectUsageError(with({"--lr", "nan"}), "--lr");
  ExpectUsageError(with({"--dtype", "f16"}), "--dtype");
  ExpectUsageError(with({"--features", "200"}), "--samples");
  ExpectUsageError(with({"--path", "blas"}), "--path");
  ExpectUsageError(with({"--hidden", "5000"}), "--hidden");
  ExpectUsageError(with({"--hidden", "-1"}), "--hidden");
  ExpectUsageError(with({"--hidden", "x"}), "--hidden");
  TempDir dir;
  const std::string bin = (dir / "d.sbt").string();
  train::SaveColumnar(train::Generate<float>(2, 100, 1), bin);
  std::filesystem::resize_file(bin, 100);
  ExpectUsageError({"train", "--data", bin}, "truncated");
  const std::string foreign = (dir / "f.bin").string();
  std::ofstream(foreign) << "\x7f"
                            "ELF not ours";
  ExpectUsageError({"train", "--data", foreign}, "--data");
  ExpectUsageError({"train", "--data", (dir / "missing").string()}, "--data");
  // A device would be read forever; a directory is no data set.
  ExpectUsageError({"train", "--data", "/dev/zero"}, "not a regular file");
  ExpectUsageError({"train", "--data", dir.Str()}, "not a regular file");
}

nlohmann::json Lines(const std::string& out) {
  nlohmann::json all = nlohmann::json::array();
  std::istringstream in(out);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) all.push_back(nlohmann::json::parse(line));
  }
  return all;
}

const nlohmann::json* FindCase(const nlohmann::json& all, const std::string& id) {
  for (const auto& r : all) {
    if (r["case"] == id) return &r;
  }
  return nullptr;
}

TEST(TrainCli, ChecksTheFitAndReportsDivergenceAsSuch) {
  const CliRun run = RunSysbench({"--format", "jsonl", "--quick", "--repetitions", "1", "train",
                                  "--samples", "256", "--batch", "1,256", "--dtype", "f64",
                                  "--path", "eigen", "--max-time", "0.5"});
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json all = Lines(run.out);
  const nlohmann::json* check = FindCase(all, "check/f64");
  ASSERT_NE(check, nullptr) << run.out;
  EXPECT_NE(check->dump().find("\"within_0.01_of_fit\""), std::string::npos);
  const nlohmann::json* full = FindCase(all, "sgd/f64/features=1/batch=256/eigen/threads=1");
  ASSERT_NE(full, nullptr) << run.out;
  // The spread of the time to target and what it comes from are stated.
  for (const char* name :
       {"time_to_target_cv_pct", "epochs_cv_pct", "epoch_time_cv_pct", "stable"}) {
    EXPECT_NE(full->dump().find(name), std::string::npos) << name;
  }
  EXPECT_NE(FindCase(all, "data/columnar"), nullptr);

  const CliRun bad = RunSysbench({"--format", "jsonl", "--quick", "--repetitions", "1", "train",
                                  "--samples", "256", "--batch", "256", "--dtype", "f64", "--path",
                                  "scalar", "--lr", "3", "--threads", "1"});
  ASSERT_EQ(bad.code, 0) << bad.err;
  const nlohmann::json bad_all = Lines(bad.out);
  const nlohmann::json* diverged =
      FindCase(bad_all, "sgd/f64/features=1/batch=256/scalar/threads=1");
  ASSERT_NE(diverged, nullptr) << bad.out;
  const std::string text = diverged->dump();
  EXPECT_NE(text.find("diverged"), std::string::npos) << text;
  EXPECT_EQ(text.find("samples_per_s"), std::string::npos) << text;
}

TEST(TrainCli, ShortSeedsRunAtLeastThreeTimes) {
  const CliRun run =
      RunSysbench({"--format", "jsonl", "--repetitions", "2", "train", "--samples", "256",
                   "--batch", "256", "--dtype", "f64", "--path", "eigen", "--threads", "1"});
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json all = Lines(run.out);
  const nlohmann::json* r = FindCase(all, "sgd/f64/features=1/batch=256/eigen/threads=1");
  ASSERT_NE(r, nullptr) << run.out;
  for (const auto& m : (*r)["metrics"]) {
    if (m["name"] == "replays_per_seed") {
      EXPECT_GE(m["value"].get<double>(), 3.0);
    }
    if (m["name"] == "seeds") {
      EXPECT_EQ(m["value"].get<double>(), 2.0);
    }
  }
  EXPECT_NE(r->dump().find("replays_per_seed"), std::string::npos);
}

TEST(TrainCli, TrainsAHiddenLayer) {
  const CliRun run = RunSysbench({"--format", "jsonl", "--repetitions", "1", "train", "--samples",
                                  "256", "--features", "4", "--hidden", "8", "--batch", "64",
                                  "--epochs", "3", "--dtype", "f64", "--threads", "1"});
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json all = Lines(run.out);
  for (const char* path : {"eigen", "scalar"}) {
    const nlohmann::json* r =
        FindCase(all, std::string("sgd/f64/features=4/hidden=8/batch=64/") + path + "/threads=1");
    ASSERT_NE(r, nullptr) << run.out;
    EXPECT_NE(r->dump().find("epochs done"), std::string::npos);
    EXPECT_NE(r->dump().find("\"gflops\""), std::string::npos);
  }
}

TEST(TrainCli, DataPathLeavesNothingBehind) {
  TempDir dir;
  const char* old = std::getenv("TMPDIR");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("TMPDIR", dir.Str().c_str(), 1);
  const CliRun run = RunSysbench({"--format", "jsonl", "--quick", "--repetitions", "1", "train",
                                  "--samples", "64", "--batch", "64", "--dtype", "f32"});
  if (old != nullptr) {
    ::setenv("TMPDIR", saved.c_str(), 1);
  } else {
    ::unsetenv("TMPDIR");
  }
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("\"data/csv\""), std::string::npos);
  EXPECT_EQ(dir.Files(), 0u);
}

TEST(TrainCli, SaveDataWritesAFileTrainCanRead) {
  TempDir dir;
  const std::string csv = (dir / "d.csv").string(), bin = (dir / "d.sbt").string();
  ASSERT_EQ(RunSysbench({"train", "--samples", "50", "--save-data", csv}).code, 0);
  ASSERT_EQ(RunSysbench({"train", "--samples", "50", "--save-data", bin}).code, 0);
  EXPECT_EQ(train::LoadDataFile<double>(csv).x, train::LoadDataFile<double>(bin).x);
  const CliRun run =
      RunSysbench({"--format", "jsonl", "--repetitions", "1", "train", "--data", bin, "--batch",
                   "10", "--epochs", "3", "--dtype", "f64", "--path", "scalar", "--threads", "1"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("sgd/f64/features=1/batch=10/scalar/threads=1"), std::string::npos);
  EXPECT_NE(run.out.find("epochs done"), std::string::npos);
}

}  // namespace
}  // namespace sysbench::testing
