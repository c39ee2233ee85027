// `sysbench disk`: block devices, the page cache and durability. A block size sweep and a queue
// depth sweep around the page cache (O_DIRECT, io_uring or psync), the cost of a commit (fsync,
// fdatasync, O_DSYNC), hot against cold buffered reads, and what the storage says it is.
// Everything runs on a temporary file that is removed on success, error and SIGINT/SIGTERM.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <optional>

#include "sysbench/chart_spec.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/units.h"
#include "topics/disk/cases.h"
#include "topics/disk/kernels/disk_kernels.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using disk::Engine;
using disk::Plan;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
constexpr std::uint64_t kDefaultBytes = 256 * kMiB;
constexpr std::uint64_t kQuickBytes = 32 * kMiB;
constexpr std::uint64_t kMinBytes = 1 * kMiB;
constexpr std::uint64_t kMaxBlock = 64 * kMiB;
constexpr std::uint64_t kMinBlock = 512;
constexpr const char* kDefaultBlocks = "4K,16K,64K,256K,1M,4M";
constexpr const char* kQuickBlocks = "4K,1M";
constexpr const char* kDefaultDepths = "1,2,4,8,16,32";
constexpr const char* kQuickDepths = "1,32";
const std::vector<std::string> kFamilies = {"sweep", "depth", "sync", "cache"};

std::vector<std::uint64_t> ParseBlockSizes(const std::string& text, std::uint64_t file_bytes) {
  std::vector<std::uint64_t> sizes;
  for (const std::string& item : Split(text, ',')) {
    const std::uint64_t size = ParseSize(item, "--block-sizes", kMaxBlock);
    if (!kernels::IsPowerOfTwo(size) || size < kMinBlock) {
      throw UsageError("--block-sizes '" + item +
                       "': must be a power of two of at least 512 bytes (O_DIRECT alignment)");
    }
    if (size > file_bytes) {
      throw UsageError("--block-sizes '" + item + "': larger than the test file (--size " +
                       FormatBytes(static_cast<double>(file_bytes)) + ")");
    }
    sizes.push_back(size);
  }
  if (sizes.empty()) throw UsageError("--block-sizes: empty list");
  return sizes;
}

Engine ChooseEngine(const std::string& asked, Notes& notes) {
  const std::string reason = disk::IoUringUnavailableReason();
  if (asked == "psync") return Engine::kPsync;
  if (asked == "io_uring") {
    if (!reason.empty()) throw UsageError("--engine io_uring: " + reason);
    return Engine::kIoUring;
  }
  // fio users reach for libaio first; say why it is not here rather than "unknown".
  if (asked == "libaio") {
    throw UsageError(
        "--engine libaio: not built in; io_uring is the queued engine (fio's "
        "--ioengine=io_uring), psync runs where the kernel or a seccomp profile refuses it");
  }
  if (asked != "auto") throw UsageError("--engine '" + asked + "': use auto, io_uring or psync");
  if (reason.empty()) return Engine::kIoUring;
  notes.Warn("disk: " + reason + "; psync runs instead, so every queue depth is 1");
  return Engine::kPsync;
}

class DiskCommand final : public Command {
 public:
  std::string_view Name() const override { return "disk"; }
  std::string_view Summary() const override {
    return "Storage: block sizes, queue depth, page cache hot/cold, fsync cost (like fio)";
  }
  std::vector<std::string> GateMetrics() const override { return {"iops"}; }
  std::vector<ChartSpec> Charts() const override {
    ChartSpec sweep = ChartSpec::Line("Disk MB/s vs block size (O_DIRECT)", "mbps", "block_bytes",
                                      "block size", {"pattern", "iodepth"});
    sweep.bytes_x = true;
    ChartSpec p99 = ChartSpec::Line("Disk latency p99 vs block size", "lat_p99_us", "block_bytes",
                                    "block size", {"pattern", "iodepth"});
    p99.bytes_x = true;
    ChartSpec depth = ChartSpec::Line("4 KiB random reads: IOPS vs queue depth", "iops_overall",
                                      "depth", "queue depth", {"engine"});
    return {sweep, p99, depth,
            ChartSpec::Bars("Cost of a durable commit (p50)", "commit_p50_us", {"sync", "batch"}),
            ChartSpec::Bars("Page cache: hot / cold reads", "hot_vs_cold", {"pattern"})};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--cases", cases_, "sweep, depth, sync, cache (comma list; default all)");
    sub.add_option("--size", size_, "Test file size (default 256M; 32M with --quick)");
    sub.add_option("--block-sizes", block_sizes_,
                   "Block sizes of the sweep, powers of two (default 4K,16K,64K,256K,1M,4M; "
                   "4K,1M with --quick)");
    sub.add_option("--patterns", patterns_,
                   "read, randread, write, randwrite (comma list; default all)");
    sub.add_option("--iodepth", iodepth_, "Requests in flight in the sweep (default 1)");
    sub.add_option("--queue-depths", depths_,
                   "Depths of the 4K randread depth sweep (default 1,2,4,8,16,32; 1,32 quick)");
    sub.add_option("--batch", batch_, "Writes per sync in the batched sync cases (default 16)");
    sub.add_option("--engine", engine_, "auto, io_uring or psync (default auto)");
    sub.add_option("--dir", dir_,
                   "Folder for the test file (default: a new folder in the current directory)");
    sub.add_option("--device", device_,
                   "Measure this block device (or existing file) instead of a temp file: "
                   "its data is OVERWRITTEN");
    sub.add_flag("--i-know-this-erases-data", erase_ok_, "Required with --device");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    Plan plan = Validate(config);
    // --cpus pins the thread that issues and waits for every request (the first CPU given): at
    // QD1 its CPU against the interrupt's decides the latency (the facts say which that is).
    const ScopedPin pin(config.cpus.empty() ? std::nullopt : std::optional(config.cpus.front()),
                        "disk: the run", context.notes);
    disk::TargetOptions target_options{dir_, device_, erase_ok_, plan.bytes};
    disk::StorageFacts facts = disk::CheckTarget(target_options);
    CheckAgainstDevice(plan, facts);
    plan.engine = ChooseEngine(engine_, context.notes);
    SayWhatTheFolderIs(facts, context.notes);
    const auto target = disk::DiskTarget::Create(target_options, std::move(facts));
    context.notes.Note("disk: test file '" + target->Path() + "' (" +
                       FormatBytes(static_cast<double>(plan.bytes)) +
                       (target->IsDevice() ? "), given with --device: overwritten, left in place"
                                           : "), removed when the run ends"));
    disk::CaseContext cases{plan, *target, context.notes, sink, {}};
    if (plan.Has("sweep")) disk::RunSweep(cases);
    if (plan.Has("depth")) disk::RunQueueDepth(cases);
    if (plan.Has("sync")) disk::RunDurability(cases);
    if (plan.Has("cache")) disk::RunCache(cases);
    disk::EmitFacts(cases);
  }

 private:
  Plan Validate(const RunConfig& config) const {
    Plan plan;
    plan.families = cases_.empty() ? kFamilies : ParseNameList(cases_, "--cases", kFamilies);
    plan.bytes =
        size_.empty() ? (config.quick ? kQuickBytes : kDefaultBytes) : ParseSize(size_, "--size");
    if (plan.bytes < kMinBytes) throw UsageError("--size '" + size_ + "': at least 1M");
    if (plan.bytes % 4096 != 0) throw UsageError("--size '" + size_ + "': a multiple of 4K");
    plan.block_sizes = ParseBlockSizes(
        block_sizes_.empty() ? (config.quick ? kQuickBlocks : kDefaultBlocks) : block_sizes_,
        plan.bytes);
    std::vector<std::string> names;
    for (const disk::Pattern& p : disk::AllPatterns()) names.push_back(p.name);
    const std::vector<std::string> asked =
        patterns_.empty() ? names : ParseNameList(patterns_, "--patterns", names);
    for (const disk::Pattern& p : disk::AllPatterns()) {
      if (std::find(asked.begin(), asked.end(), p.name) != asked.end()) plan.patterns.push_back(p);
    }
    plan.sweep_depth = static_cast<int>(ParseInt(iodepth_, "--iodepth", 1, 256));
    for (const std::int64_t d :
         ParseIntList(depths_.empty() ? (config.quick ? kQuickDepths : kDefaultDepths) : depths_,
                      "--queue-depths", 1, 256)) {
      plan.depths.push_back(static_cast<int>(d));
    }
    plan.batch = static_cast<int>(ParseInt(batch_, "--batch", 1, 1024));
    if (plan.Has("sync") && 4096 * static_cast<std::uint64_t>(plan.batch) > plan.bytes) {
      throw UsageError("--batch " + batch_ + ": a batch of 4K writes larger than --size");
    }
    plan.slices = config.repetitions > 0 ? config.repetitions : (config.quick ? 3 : 5);
    plan.slice_seconds = config.min_time > 0 ? config.min_time : (config.quick ? 0.03 : 0.1);
    plan.warmup_seconds = config.warmup >= 0 ? config.warmup : (config.quick ? 0.01 : 0.05);
    return plan;
  }

  // O_DIRECT needs requests of whole logical blocks.
  static void CheckAgainstDevice(const Plan& plan, const disk::StorageFacts& facts) {
    if (facts.logical_block == 0) return;
    for (const std::uint64_t block : plan.block_sizes) {
      if (block < facts.logical_block) {
        throw UsageError("--block-sizes " + disk::BlockLabel(block) +
                         ": smaller than the device's logical block (" +
                         std::to_string(facts.logical_block) + " bytes), which O_DIRECT needs");
      }
    }
  }

  static void SayWhatTheFolderIs(const disk::StorageFacts& facts, Notes& notes) {
    if (facts.memory_fs) {
      notes.Warn("disk: the folder is on " + facts.fs_type +
                 ": there is no disk behind it, every figure measures memory (O_DIRECT may be "
                 "accepted and still prove nothing)");
    } else if (facts.overlay_fs) {
      notes.Warn(
          "disk: the folder is on overlay (a container's root): the disk below is "
          "shared with its layers; use --dir on a volume for cleaner figures");
    } else if (facts.network_fs) {
      notes.Warn("disk: the folder is on " + facts.fs_type +
                 ", a network or user-space filesystem: the far side decides what is cached");
    }
  }

  std::string cases_;
  std::string size_;
  std::string block_sizes_;
  std::string patterns_;
  std::string iodepth_ = "1";
  std::string depths_;
  std::string batch_ = "16";
  std::string engine_ = "auto";
  std::string dir_;
  std::string device_;
  bool erase_ok_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeDiskCommand() { return std::make_unique<DiskCommand>(); }

}  // namespace sysbench
