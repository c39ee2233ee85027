// `sysbench bandwidth`: bytes per second through the memory hierarchy with STREAM's kernels (plus
// pure read and write), on pinned threads that each first-touch their own part, results validated.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>

#include "core/mapped_buffer.h"
#include "sysbench/cpu_features.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/bandwidth/kernels/bandwidth_kernels.h"
#include "topics/latency/probe.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using kernels::StreamKernel;
using kernels::StreamPart;

constexpr std::uint64_t kMaxSizeLimit = std::uint64_t{1} << 40;
constexpr std::uint64_t kMinDramSize = std::uint64_t{256} << 20;
// Floors under sizes planned from a measured LLC: a loaded machine's probe may see a small one
// (other processes' data take the L3), which must not shrink main-memory runs into the cache.
constexpr std::uint64_t kMinQuickDramSize = std::uint64_t{64} << 20;
constexpr std::uint64_t kMinSweepMax = std::uint64_t{32} << 20;
constexpr std::uint64_t kUnknownLlcSize = std::uint64_t{512} << 20;
constexpr std::uint64_t kUnknownLlcSweepMax = std::uint64_t{64} << 20;
// Defaults never go past these, whatever the LLC looks like: a hypervisor may report a whole host
// socket's L3 (508 MiB on one bhyve guest), and 4x that would take minutes.
constexpr std::uint64_t kDefaultSizeCap = std::uint64_t{1} << 30;
constexpr std::uint64_t kQuickSizeCap = std::uint64_t{128} << 20;
constexpr std::uint64_t kDefaultSweepCap = std::uint64_t{128} << 20;
constexpr std::uint64_t kQuickSweepCap = std::uint64_t{32} << 20;
// Main-memory passes take long enough for a few long batches; cache-sized ones want many short
// ones.
constexpr TimingDefaults kDramTiming{.repetitions = ByMode<int>{5, 3},
                                     .min_time = ByMode<double>{0.05, 0.01},
                                     .warmup = ByMode<double>{0.05, 0.01}};
constexpr TimingDefaults kCachedTiming{.repetitions = ByMode<int>{5, 3},
                                       .min_time = ByMode<double>{0.01, 0.002},
                                       .warmup = ByMode<double>{0.005, 0.001}};
constexpr double kInitA = 1.0, kInitB = 2.0, kInitC = 0.5, kScalar = 3.0;

struct KernelInfo {
  const char* name;
  StreamKernel kernel;
};
constexpr KernelInfo kKernels[] = {
    {"read", StreamKernel::kRead}, {"write", StreamKernel::kWrite},
    {"copy", StreamKernel::kCopy}, {"scale", StreamKernel::kScale},
    {"add", StreamKernel::kAdd},   {"triad", StreamKernel::kTriad},
};

bool Stores(StreamKernel k) { return k != StreamKernel::kRead; }

// The values each array must hold after any number of passes of `kernel` from the initial values.
struct Expected {
  double a = kInitA, b = kInitB, c = kInitC;
};
Expected ExpectedAfter(StreamKernel kernel) {
  Expected e;
  switch (kernel) {
    case StreamKernel::kRead:
      break;
    case StreamKernel::kWrite:
      e.a = kScalar;
      break;
    case StreamKernel::kCopy:
      e.c = kInitA;
      break;
    case StreamKernel::kScale:
      e.b = kScalar * kInitC;
      break;
    case StreamKernel::kAdd:
      e.c = kInitA + kInitB;
      break;
    case StreamKernel::kTriad:
      e.a = kInitB + kScalar * kInitC;
      break;
  }
  return e;
}

// One thread's block of `block_bytes`, carved into the arrays the kernel uses (each a multiple of
// 8 doubles, so every array starts 64-byte aligned).
StreamPart CarvePart(char* block, std::uint64_t block_bytes, StreamKernel kernel) {
  const std::uint64_t arrays = static_cast<std::uint64_t>(kernels::StreamArrays(kernel));
  std::size_t n = static_cast<std::size_t>(block_bytes / (8 * arrays));
  n -= n % 8;
  double* slot[3];
  for (std::size_t i = 0; i < 3; ++i) slot[i] = reinterpret_cast<double*>(block) + i * n;
  StreamPart part;
  part.n = n;
  switch (kernel) {
    case StreamKernel::kRead:
    case StreamKernel::kWrite:
      part.a = slot[0];
      break;
    case StreamKernel::kCopy:
      part.a = slot[0];
      part.c = slot[1];
      break;
    case StreamKernel::kScale:
      part.c = slot[0];
      part.b = slot[1];
      break;
    case StreamKernel::kAdd:
    case StreamKernel::kTriad:
      part.a = slot[0];
      part.b = slot[1];
      part.c = slot[2];
      break;
  }
  return part;
}

void Fill(const StreamPart& part) {
  if (part.a != nullptr) std::fill(part.a, part.a + part.n, kInitA);
  if (part.b != nullptr) std::fill(part.b, part.b + part.n, kInitB);
  if (part.c != nullptr) std::fill(part.c, part.c + part.n, kInitC);
}

// STREAM's check: every element within 1e-13 (relative) of what it must hold.
bool Check(const StreamPart& part, const Expected& e) {
  auto ok = [&part](const double* x, double want) {
    if (x == nullptr) return true;
    for (std::size_t i = 0; i < part.n; ++i) {
      if (std::fabs(x[i] - want) > 1e-13 * std::fabs(want)) return false;
    }
    return true;
  };
  return ok(part.a, e.a) && ok(part.b, e.b) && ok(part.c, e.c);
}

std::vector<int> DefaultThreads(int cpus) {
  std::vector<int> out;
  for (int t = 1; t < cpus; t *= 2) out.push_back(t);
  out.push_back(std::max(cpus, 1));
  return out;
}

class BandwidthCommand final : public Command {
 public:
  std::string_view Name() const override { return "bandwidth"; }
  std::string_view Summary() const override {
    return "Memory bandwidth (GB/s) of read, write, copy, scale, add, triad per size and thread "
           "count";
  }
  std::vector<std::string> GateMetrics() const override { return {"gbps"}; }
  std::vector<ChartSpec> Charts() const override {
    const std::vector<std::string> series = {"kernel", "threads", "nt"};
    // The sweep over sizes, when the run has one; then a bar per kernel at the largest size.
    ChartSpec sweep =
        ChartSpec::Line("Bandwidth vs working set", "gbps", "size_bytes", "working set", series);
    sweep.bytes_x = true;
    sweep.min_x_values = 3;
    ChartSpec bars = ChartSpec::Bars("Bandwidth per kernel (largest working set)", "gbps", series);
    bars.x_param = "size_bytes";
    bars.largest_x_only = true;
    return {sweep, bars};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--kernels", kernels_text_,
                   "Kernels: read,write,copy,scale,add,triad or all (default all)");
    sub.add_option("--size", size_text_,
                   "Working set of the main-memory runs, all arrays of all threads (default 4x "
                   "the last-level cache, at least 256 MiB; 512 MiB when unknown)");
    sub.add_flag("--nt", nt_, "Non-temporal stores (bypass the caches, no write-allocate)");
    sub.add_option("--sweep-max", sweep_max_text_,
                   "Largest size of the cache sweep from 16 KiB (default 2x the last-level "
                   "cache; 64 MiB when unknown); 0 skips the sweep");
    sub.add_option("--isa", isa_text_, "Kernel instruction set: auto, avx512, avx2, scalar");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const SystemInfo& info = GetSystemInfo();
    const CpuFeatures& cpu = DetectCpuFeatures();
    // Options first, before anything is measured.
    std::vector<std::string> allowed;
    for (const KernelInfo& k : kKernels) allowed.push_back(k.name);
    const std::vector<std::string> names =
        ParseNameList(kernels_text_, "--kernels", allowed, ListAll::kYes);
    std::vector<KernelInfo> chosen;
    for (const KernelInfo& k : kKernels) {
      if (std::find(names.begin(), names.end(), k.name) != names.end()) chosen.push_back(k);
    }
    // The LLC as measured (latency's probe, once per run) when a size is left to the default;
    // cpuid's size only where the probe found none.
    std::string llc_source = "lookup";
    const std::uint64_t llc = size_text_.empty() || sweep_max_text_.empty()
                                  ? PlanningLlcBytes(&llc_source)
                                  : info.LastLevelCacheBytes();
    // 4x the LLC, at least 64 MiB with --quick (128 MiB when unknown), else at least 256 MiB
    // (512 MiB when unknown).
    const bool quick = context.config.quick;
    std::uint64_t size = 0;
    if (!size_text_.empty()) {
      size = ParseSize(size_text_, "--size", kMaxSizeLimit);
    } else if (llc > 0) {
      size = std::max(4 * llc, quick ? kMinQuickDramSize : kMinDramSize);
    } else {
      size = quick ? kUnknownLlcSize / 4 : kUnknownLlcSize;
    }
    std::string capped_note;
    if (size_text_.empty() && size > (quick ? kQuickSizeCap : kDefaultSizeCap)) {
      size = quick ? kQuickSizeCap : kDefaultSizeCap;
      capped_note = "bandwidth: arrays of " + FormatBytes(static_cast<double>(size)) +
                    " in all, less than 4x the " +
                    (llc_source == "measured" ? "measured" : "looked-up") +
                    " last-level cache of " + FormatBytes(static_cast<double>(llc)) +
                    " (a VM may report a whole host socket's); set --size to go further";
    }
    const std::uint64_t sweep_max =
        sweep_max_text_.empty()
            ? std::min(llc > 0 ? std::max(2 * llc, kMinSweepMax) : kUnknownLlcSweepMax,
                       quick ? kQuickSweepCap : kDefaultSweepCap)
            : ParseSize(sweep_max_text_, "--sweep-max", kMaxSizeLimit, true);
    kernels::StreamFn fn = nullptr;
    std::string isa = isa_text_;
    if (isa == "auto") isa = cpu.avx512f ? "avx512" : cpu.avx2 && cpu.fma ? "avx2" : "scalar";
    if (isa == "avx512") {
      if (!cpu.avx512f) throw UsageError("--isa 'avx512': this CPU has no AVX-512F");
      fn = kernels::StreamAvx512;
    } else if (isa == "avx2") {
      if (!cpu.avx2 || !cpu.fma) throw UsageError("--isa 'avx2': this CPU has no AVX2 and FMA");
      fn = kernels::StreamAvx2;
    } else if (isa == "scalar") {
      fn = kernels::StreamScalar;
    } else {
      throw UsageError("--isa '" + isa_text_ + "': must be auto, avx512, avx2 or scalar");
    }
    const std::vector<int> cpus = WorkerCpus(context.config.cpus);
    const std::vector<int> thread_counts = context.config.threads.empty()
                                               ? DefaultThreads(static_cast<int>(cpus.size()))
                                               : context.config.threads;
    const int max_threads = *std::max_element(thread_counts.begin(), thread_counts.end());
    const std::uint64_t buffer_bytes = std::max(size, sweep_max);
    const std::uint64_t min_size =
        static_cast<std::uint64_t>(max_threads) * 3 * 8 * 8;  // 8 doubles per array per thread
    if (size < min_size) {
      throw UsageError(fmt::format("--size '{}': must be at least {} for {} threads", size_text_,
                                   FormatBytes(static_cast<double>(min_size)), max_threads));
    }
    if (info.mem_available_bytes > 0 && buffer_bytes > info.mem_available_bytes / 10 * 8) {
      throw UsageError(
          fmt::format("--size '{}': needs {}, more than 80% of the {} of memory available",
                      size_text_.empty() ? sweep_max_text_ : size_text_,
                      FormatBytes(static_cast<double>(buffer_bytes)),
                      FormatBytes(static_cast<double>(info.mem_available_bytes))));
    }

    // Measuring starts here.
    if (llc == 0 && (size_text_.empty() || sweep_max_text_.empty())) {
      context.notes.Note(
          "bandwidth: the last-level cache size is unknown, so main-memory runs use " +
          FormatBytes(static_cast<double>(size)) + " and the cache sweep stops at " +
          FormatBytes(static_cast<double>(sweep_max)) + " (--size, --sweep-max)");
    }
    if (!capped_note.empty()) context.notes.Note(capped_note);
    if (llc > 0 && llc_source == "measured" && size_text_.empty()) {
      context.notes.Note("bandwidth: main-memory arrays of " +
                         FormatBytes(static_cast<double>(size)) +
                         " in all, from the last-level "
                         "cache measured by latency's probe (" +
                         FormatBytes(static_cast<double>(llc)) + "; cpuid reports " +
                         FormatBytes(static_cast<double>(info.LastLevelCacheBytes())) + ")");
    }
    context.notes.Note("bandwidth: " + isa +
                       " kernels; GB/s = 1e9 bytes/s counted as STREAM does (each array element "
                       "read or written once per pass); the write-allocate read of a "
                       "destination without --nt is not counted");
    if (max_threads > static_cast<int>(cpus.size())) {
      context.notes.Warn("bandwidth: more threads than CPUs to pin them to; threads share CPUs");
    }

    const TimingOptions dram = context.Timing(kDramTiming);
    const TimingOptions cached = context.Timing(kCachedTiming);
    std::vector<std::uint64_t> sweep;
    for (std::uint64_t s = 16 << 10; s <= sweep_max && sweep_max > 0; s *= quick ? 4 : 2) {
      if (s >= min_size) sweep.push_back(s);
    }
    // The sweep runs read and triad unless kernels were chosen.
    std::vector<KernelInfo> sweep_kernels;
    for (const KernelInfo& k : chosen) {
      if (!kernels_text_.empty() && kernels_text_ != "all") {
        sweep_kernels.push_back(k);
      } else if (k.kernel == StreamKernel::kRead || k.kernel == StreamKernel::kTriad) {
        sweep_kernels.push_back(k);
      }
    }

    for (int threads : thread_counts) {
      WorkerTeam team(threads, cpus);
      const std::uint64_t stride = buffer_bytes / static_cast<std::uint64_t>(threads) / 4096 * 4096;
      MappedBuffer buffer(stride * static_cast<std::uint64_t>(threads), HugePages::kOn);
      char* base = static_cast<char*>(buffer.Data());
      // Each thread first-touches its own block.
      team.Run([&](int t) {
        char* block = base + static_cast<std::uint64_t>(t) * stride;
        std::fill(reinterpret_cast<double*>(block), reinterpret_cast<double*>(block + stride), 0.0);
      });
      auto measure = [&](const KernelInfo& k, std::uint64_t bytes, const Runner& runner) {
        const bool nt = nt_ && Stores(k.kernel);
        std::vector<StreamPart> parts;
        const std::uint64_t block = std::min(bytes / static_cast<std::uint64_t>(threads), stride);
        for (int t = 0; t < threads; ++t) {
          parts.push_back(
              CarvePart(base + static_cast<std::uint64_t>(t) * stride, block, k.kernel));
        }
        team.Run([&](int t) { Fill(parts[static_cast<std::size_t>(t)]); });
        std::vector<double> sums(static_cast<std::size_t>(threads), 0.0);
        std::uint64_t passes = 0;
        const std::vector<Sample> samples = runner.MeasureTimed([&](std::uint64_t iterations) {
          passes += iterations;
          return team.Run([&](int t) {
            const auto i = static_cast<std::size_t>(t);
            sums[i] += fn(k.kernel, parts[i], kScalar, nt, iterations);
          });
        });
        double bytes_per_pass = 0;
        for (const StreamPart& p : parts) {
          bytes_per_pass += static_cast<double>(p.n) * kernels::StreamBytesPerElement(k.kernel);
        }
        // Validate: every element of every array, and the read sums.
        std::vector<char> ok(static_cast<std::size_t>(threads), 0);
        const Expected expected = ExpectedAfter(k.kernel);
        team.Run([&](int t) {
          const auto i = static_cast<std::size_t>(t);
          bool good = Check(parts[i], expected);
          if (k.kernel == StreamKernel::kRead) {
            good = good && sums[i] == static_cast<double>(parts[i].n) * kInitA *
                                          static_cast<double>(passes);
          }
          ok[i] = good ? 1 : 0;
        });
        const bool valid = std::all_of(ok.begin(), ok.end(), [](char c) { return c == 1; });
        const std::string nt_text = nt ? "true" : "false";
        Result r("bandwidth", std::string(k.name) + "/threads=" + std::to_string(threads) +
                                  "/nt=" + nt_text + "/size=" + std::to_string(bytes));
        r.Param("kernel", k.name)
            .Param("threads", std::to_string(threads))
            .Param("nt", nt_text)
            .Param("size_bytes", std::to_string(bytes));
        r.AddSampled("gbps", Rates(samples, bytes_per_pass, 1e9), "GB/s", Better::kHigher);
        r.Add(Computed("validated", std::string(valid ? "yes" : "no")));
        r.Add(Computed("write_allocate_counted", std::string("no")));
        if (!valid) {
          context.notes.Warn("bandwidth: " + r.case_id +
                             ": the arrays do not hold the expected values after the run");
        }
        sink.Emit(std::move(r));
      };
      const Runner dram_runner(dram);
      for (const KernelInfo& k : chosen) measure(k, size, dram_runner);
      const Runner cached_runner(cached);
      for (const KernelInfo& k : sweep_kernels) {
        for (std::uint64_t s : sweep) measure(k, s, cached_runner);
      }
    }
  }

 private:
  std::string kernels_text_ = "all";
  std::string size_text_;
  std::string sweep_max_text_;
  std::string isa_text_ = "auto";
  bool nt_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeBandwidthCommand() { return std::make_unique<BandwidthCommand>(); }

}  // namespace sysbench
