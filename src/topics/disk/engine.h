// The I/O loops of `sysbench disk`: psync (pread/pwrite, one request at a time) and io_uring (up
// to `depth` requests in flight). Each op is timed from submission to completion; a job runs a
// warm-up, then a fixed number of time slices, so it always ends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sysbench/clock.h"

namespace sysbench::disk {

enum class Engine { kPsync, kIoUring };
const char* EngineName(Engine engine);

// "" when io_uring can be used here; otherwise why not (not built in, or refused by the kernel or
// a seccomp profile, as Docker's default one does).
std::string IoUringUnavailableReason();

enum class SyncKind { kNone, kFsync, kFdatasync };

struct JobSpec {
  int fd = -1;
  bool write = false;
  bool random = false;
  std::uint64_t block = 4096;
  std::uint64_t region = 0;  // bytes of the file the offsets cover
  int depth = 1;             // io_uring only
  SyncKind sync = SyncKind::kNone;
  int batch = 1;              // psync: requests between two syncs; one latency per batch
  std::uint64_t max_ops = 0;  // > 0: stop after this many requests (one pass over a cold file)
  int slices = 5;
  double slice_seconds = 0.1;
  double warmup_seconds = 0.05;
  std::size_t alignment = 4096;  // of the buffers (O_DIRECT)
  std::uint64_t seed = 1;
};

struct JobResult {
  std::uint64_t ops = 0;    // requests completed in the measured slices
  std::uint64_t bytes = 0;  // bytes they moved
  double seconds = 0;       // from the first measured slice's start to the last completion
  std::vector<double> slice_iops;
  std::vector<double> latency_ns;  // per request, or per batch when syncing
  std::vector<double> sync_ns;     // the fsync/fdatasync alone, per batch
};

// Accumulates completions: drops the warm-up (none when warmup_seconds <= 0), cuts the rest into
// slices, keeps the latencies.
class Meter {
 public:
  Meter(int slices, double slice_seconds, double warmup_seconds);
  void Complete(SteadyClock::time_point start, SteadyClock::time_point end, std::uint64_t ops,
                std::uint64_t bytes, double sync_ns = -1);
  bool Done() const { return slices_done_ >= slices_; }
  // Ends the run early (a one-pass job ran out of requests): the slice so far counts.
  void Finish(SteadyClock::time_point end);
  JobResult Take() { return std::move(result_); }

 private:
  int slices_;
  double slice_seconds_;
  SteadyClock::time_point warm_until_;
  bool measuring_ = false;
  SteadyClock::time_point measure_start_, slice_start_;
  std::uint64_t slice_ops_ = 0;
  int slices_done_ = 0;
  JobResult result_;
};

// Runs the job; RuntimeError when a request fails or comes back short.
JobResult RunJob(Engine engine, const JobSpec& spec);

}  // namespace sysbench::disk
