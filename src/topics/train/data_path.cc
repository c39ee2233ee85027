#include "topics/train/data_path.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <vector>

#include "sysbench/cleanup.h"
#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/stats.h"
#include "topics/train/data_files.h"

namespace sysbench::train {
namespace {

constexpr int kRounds = 3;

// A private folder under $TMPDIR (or /tmp) whose files and itself go when this does, or on a
// signal: each is a TempFileGuard, created and registered with the signals blocked.
class ScratchDir {
 public:
  ScratchDir() {
    const CleanupSignalBlock block;
    std::string pattern =
        (std::filesystem::temp_directory_path() / "sysbench-train-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw SystemError("mkdtemp " + pattern, errno);
    folder_ = std::make_unique<TempFileGuard>(pattern);
  }
  // A path in the folder, removed with it (files go before the folder: declared after it).
  std::string File(const std::string& name) {
    files_.push_back(std::make_unique<TempFileGuard>(folder_->Path() + "/" + name));
    return files_.back()->Path();
  }

 private:
  std::unique_ptr<TempFileGuard> folder_;
  std::vector<std::unique_ptr<TempFileGuard>> files_;
};

double MedianSeconds(const std::function<void()>& step) {
  std::vector<double> seconds;
  for (int i = 0; i < kRounds; ++i) {
    const auto t0 = SteadyClock::now();
    step();
    seconds.push_back(SecondsBetween(t0, SteadyClock::now()));
  }
  return Median(seconds);
}

std::uint64_t FileBytes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw SystemError("stat " + path, errno);
  return static_cast<std::uint64_t>(st.st_size);
}

// Maps the columnar file and sums its y column in place: the zero-copy use of the layout.
double SumYInPlace(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SystemError("open " + path, errno);
  const std::uint64_t bytes = FileBytes(path);
  void* p = ::mmap(nullptr, bytes, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (p == MAP_FAILED) throw SystemError("mmap " + path, errno);
  const auto* base = static_cast<const unsigned char*>(p);
  std::uint64_t rows = 0, features = 0, stride = 0;
  std::memcpy(&rows, base + 16, 8);
  std::memcpy(&features, base + 24, 8);
  std::memcpy(&stride, base + 32, 8);
  const auto* y = reinterpret_cast<const float*>(base + kColumnarHeader + features * stride);
  double sum = 0;
  for (std::uint64_t i = 0; i < rows; ++i) sum += static_cast<double>(y[i]);
  ::munmap(p, bytes);
  return sum;
}

Result FormatResult(const std::string& format, std::size_t samples, std::size_t features,
                    double write_s, double read_s, std::uint64_t bytes, bool exact) {
  Result r("train", "data/" + format);
  r.Param("format", format)
      .Param("dtype", "f32")
      .Param("samples", std::to_string(samples))
      .Param("features", std::to_string(features));
  r.Add({"file_bytes", bytes, "B", Better::kLower, Source::kMeasured});
  r.Add({"write_s", write_s, "s", Better::kLower, Source::kMeasured});
  r.Add({"load_s", read_s, "s", Better::kLower, Source::kMeasured});
  r.Add({"load_samples_per_s", static_cast<double>(samples) / read_s, "1/s", Better::kHigher,
         Source::kMeasured});
  r.Add({"round_trip_exact", std::string(exact ? "yes" : "no"), "", Better::kNone,
         Source::kComputed});
  return r;
}

}  // namespace

std::vector<Result> MeasureDataPath(std::uint64_t seed, std::size_t samples, std::size_t features) {
  std::vector<Result> results;
  Dataset<float> data;
  const double generate_s = MedianSeconds([&] { data = Generate<float>(seed, samples, features); });
  ScratchDir dir;
  const std::string csv = dir.File("data.csv");
  const std::string bin = dir.File("data.sbt");
  Dataset<float> back;

  const double csv_write = MedianSeconds([&] { SaveCsv(data, csv); });
  const double csv_read = MedianSeconds([&] { back = LoadCsv<float>(csv); });
  const bool csv_exact = back.x == data.x && back.y == data.y;
  results.push_back(
      FormatResult("csv", samples, features, csv_write, csv_read, FileBytes(csv), csv_exact));

  const double bin_write = MedianSeconds([&] { SaveColumnar(data, bin); });
  const double bin_read = MedianSeconds([&] { back = LoadColumnar<float>(bin); });
  const bool bin_exact = back.x == data.x && back.y == data.y;
  Result columnar =
      FormatResult("columnar", samples, features, bin_write, bin_read, FileBytes(bin), bin_exact);
  double sum = 0;
  const double in_place = MedianSeconds([&] { sum = SumYInPlace(bin); });
  DoNotOptimize(sum);
  columnar.Add({"map_and_scan_y_s", in_place, "s", Better::kLower, Source::kMeasured});
  columnar.Add(
      {"csv_load_over_columnar", csv_read / bin_read, "x", Better::kNone, Source::kComputed});
  results.push_back(std::move(columnar));

  Result gen("train", "data/generate");
  gen.Param("dtype", "f32")
      .Param("samples", std::to_string(samples))
      .Param("features", std::to_string(features));
  gen.Add({"generate_s", generate_s, "s", Better::kLower, Source::kMeasured});
  results.insert(results.begin(), std::move(gen));
  return results;
}

}  // namespace sysbench::train
