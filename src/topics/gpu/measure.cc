#include "topics/gpu/measure.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <optional>

#include "sysbench/case_budget.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/gpu/peaks.h"

namespace sysbench::gpu {
namespace {

// Each launch lasts at least min_time (10 ms; 3 ms with --quick): long against the launch's
// few-microsecond start, short enough that the whole GPU part stays within seconds.
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3},
                                 .min_time = ByMode<double>{0.01, 0.003}};
constexpr int kMaxCalibrationLaunches = 24;
// Work asked of a launch at most; the launchers cut it further to what they can check exactly, so
// a launch may stay shorter than --min-time (then the calibration stops growing it).
constexpr std::uint64_t kMaxWork = std::uint64_t{1} << 40;
// A rate this far above the looked-up one means the lookup is wrong for this device.
constexpr double kAbovePeakPercent = 102;
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// "fma/f32/cores/gpu=0", in the order of the CPU's "fma/f32/avx512/threads=1".
std::string CaseId(const OpNames& names, int device) {
  return fmt::format("{}/{}/{}/gpu={}", names.op, names.dtype, names.unit, device);
}

std::string CopyCaseId(CopyKind kind, bool pinned, int device) {
  const char* host = pinned ? "pinned" : "pageable";
  switch (kind) {
    case CopyKind::kDeviceKernel:
      return fmt::format("copy/kernel/gpu={}", device);
    case CopyKind::kDeviceMemcpy:
      return fmt::format("copy/memcpy/gpu={}", device);
    case CopyKind::kHostToDevice:
      return fmt::format("h2d/{}/gpu={}", host, device);
    case CopyKind::kDeviceToHost:
      break;
  }
  return fmt::format("d2h/{}/gpu={}", host, device);
}

std::string Version(int cuda_version) {
  return fmt::format("{}.{}", cuda_version / 1000, cuda_version % 1000 / 10);
}

// The link as sysfs shows it (the device's own PCI function): a cross-check of NVML.
std::optional<PcieLink> SysfsLink(std::string bus_id) {
  std::transform(bus_id.begin(), bus_id.end(), bus_id.begin(),
                 [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
  const std::string dir = "/sys/bus/pci/devices/" + bus_id + "/";
  std::ifstream speed_file(dir + "current_link_speed"), width_file(dir + "current_link_width");
  std::string speed;
  int lanes = 0;
  if (!std::getline(speed_file, speed) || !(width_file >> lanes)) return std::nullopt;
  const std::optional<int> generation = PcieGenerationFromSpeed(speed);
  if (!generation) return std::nullopt;
  return PcieLink{*generation, lanes};
}

}  // namespace

const Devices& CachedDevices() {
  static const Devices devices = FindDevices();
  return devices;
}

std::vector<std::string> DescribeDevices(const Devices& devices) {
  std::vector<std::string> lines;
  for (const DeviceFacts& d : devices.devices) {
    lines.push_back(fmt::format(
        "gpu{} {}: compute capability {}.{}, {} SMs, max SM clock {:.0f} MHz, {} memory "
        "({:.0f} MHz x {} bit), L2 {}, PCI {}, driver CUDA {}, runtime {} (lookup)",
        d.index, d.name, d.cc_major, d.cc_minor, d.sm_count, d.max_sm_clock_mhz,
        FormatBytes(static_cast<double>(d.memory_bytes)), d.memory_clock_mhz, d.memory_bus_bits,
        FormatBytes(static_cast<double>(d.l2_bytes)), d.pci_bus_id, Version(d.driver_version),
        Version(d.runtime_version)));
  }
  if (lines.empty()) lines.push_back("none: " + devices.why_none);
  return lines;
}

const Nvml& GpuPart::DriverOf(const DeviceFacts& device) {
  std::unique_ptr<Nvml>& slot = nvml_[device.index];
  if (!slot) slot = std::make_unique<Nvml>(device.pci_bus_id);
  return *slot;
}

void GpuPart::Skip(Result r, const std::string& why) {
  r.skipped = why;
  sink_.Emit(std::move(r));
}

void GpuPart::EmitFacts(const Devices& devices) {
  if (devices.devices.empty()) {
    Skip(Result(command_, "device/gpu=0"), devices.why_none);
    return;
  }
  for (const DeviceFacts& d : devices.devices) {
    Result r(command_, fmt::format("device/gpu={}", d.index));
    r.Param("device", "gpu").Param("gpu", d.name).Param("pci_bus_id", d.pci_bus_id);
    r.Add(LookedUp("compute_capability", fmt::format("{}.{}", d.cc_major, d.cc_minor)));
    r.Add(LookedUp("sm_count", std::int64_t{d.sm_count}));
    r.Add(LookedUp("max_sm_clock_mhz", d.max_sm_clock_mhz, "MHz"));
    r.Add(LookedUp("memory_bytes", d.memory_bytes, "B"));
    r.Add(LookedUp("l2_bytes", d.l2_bytes, "B"));
    if (d.memory_clock_mhz > 0) r.Add(LookedUp("memory_clock_mhz", d.memory_clock_mhz, "MHz"));
    if (d.memory_bus_bits > 0) {
      r.Add(LookedUp("memory_bus_bits", std::int64_t{d.memory_bus_bits}, "bit"));
    }
    if (const double gbps = MemoryGbps(d.memory_clock_mhz, d.memory_bus_bits); gbps > 0) {
      r.Add(Fact("memory_gbps", gbps, Source::kComputed, "GB/s"));
    }
    r.Add(LookedUp("driver_cuda_version", Version(d.driver_version)));
    r.Add(LookedUp("runtime_cuda_version", Version(d.runtime_version)));
    sink_.Emit(std::move(r));
  }
}

BestByDtype GpuPart::MeasureArithmetic(const Devices& devices, const std::vector<GpuOp>& ops) {
  BestByDtype best;
  for (GpuOp op : ops) {
    const OpNames n = NamesOf(op);
    if (devices.devices.empty()) {
      Skip(Result(command_, CaseId(n, 0)), devices.why_none);
      continue;
    }
    for (const DeviceFacts& d : devices.devices) Arithmetic(d, op, best);
  }
  return best;
}

void GpuPart::Arithmetic(const DeviceFacts& d, GpuOp op, BestByDtype& best) {
  const OpNames n = NamesOf(op);
  Result r(command_, CaseId(n, d.index));
  r.Param("device", "gpu")
      .Param("gpu", d.name)
      .Param("dtype", std::string(n.dtype))
      .Param("op", std::string(n.op))
      .Param("unit", n.unit == "tensor" ? "tensor cores" : "CUDA cores")
      .Param("instruction", std::string(n.instruction));
  if (const std::string why = ArithmeticUnsupported(d, op); !why.empty()) {
    Skip(std::move(r), why);
    return;
  }
  const TimingOptions timing = context_.Timing(kTiming);
  // Calibrate: grow the work until one launch lasts min_time (these launches also warm the GPU
  // and bring its clock up from idle).
  const CaseBudget budget(timing.case_budget_seconds);
  std::uint64_t work = 16;
  ArithmeticLaunch launch;
  for (int i = 0; i < kMaxCalibrationLaunches && work < kMaxWork; ++i) {
    launch = LaunchArithmetic(d.index, op, work);
    if (!launch.error.empty() || launch.seconds >= timing.min_time || budget.Spent()) break;
    const double grow = timing.min_time * 1.3 / std::max(launch.seconds, 1e-6);
    work = std::min(kMaxWork, static_cast<std::uint64_t>(static_cast<double>(work) *
                                                         std::clamp(grow, 1.5, 64.0)));
  }
  if (!launch.error.empty()) {
    Skip(std::move(r), "CUDA: " + launch.error);
    return;
  }
  ClockSampler sampler(DriverOf(d));
  std::vector<double> rates, clocks_mhz, per_sm_cycle;
  std::uint64_t checked = 0, wrong = 0;
  for (int rep = 0; rep < timing.repetitions && (rep == 0 || !budget.Spent()); ++rep) {
    launch = LaunchArithmetic(d.index, op, work);
    if (!launch.error.empty()) break;
    rates.push_back(launch.operations / launch.seconds / 1e9);
    clocks_mhz.push_back(launch.sm_cycles / launch.seconds / 1e6);
    per_sm_cycle.push_back(launch.operations / d.sm_count / launch.sm_cycles);
    checked += launch.checked;
    wrong += launch.wrong;
  }
  const std::vector<double> driver_mhz = sampler.Stop();
  if (rates.empty()) {
    Skip(std::move(r), "CUDA: " + launch.error);
    return;
  }
  const std::string unit = n.integer ? "GOP/s" : "GFLOP/s";
  const std::string per_cycle_unit = n.integer ? "op/SM/cycle" : "FLOP/SM/cycle";
  r.AddSampled("gflops", rates, unit, Better::kHigher);
  // The clock the SMs ran at: their own cycle counter (clock64) over the launch's event time.
  const double clock_mhz = Median(clocks_mhz);
  r.Add(Measured("sm_clock_mhz", clock_mhz, "MHz"));
  if (d.max_sm_clock_mhz > 0) {  // tensor cores run the SMs slower than the CUDA cores do
    r.Add(Computed("sm_clock_drop_pct", 100 * (1 - clock_mhz / d.max_sm_clock_mhz), "%"));
  }
  if (!driver_mhz.empty()) r.Add(LookedUp("driver_sm_clock_mhz", Median(driver_mhz), "MHz"));
  const double measured_per_cycle = Median(per_sm_cycle);
  r.Add(Computed("ops_per_sm_cycle", measured_per_cycle, per_cycle_unit, Better::kHigher));
  r.Add(Count("checked_values", checked));
  r.Add(Count("wrong_values", wrong, Better::kLower));
  if (wrong > 0) {
    context_.notes.Warn(fmt::format(
        "{}: {}: {} of {} chain end values were wrong: the kernel did not do the work counted, "
        "so no peak is given",
        command_, r.case_id, wrong, checked));
  } else if (const auto table = OpsPerSmCycle(d.cc_major, d.cc_minor, op)) {
    r.Add(LookedUp("lookup_ops_per_sm_cycle", *table, per_cycle_unit));
    r.Add(Computed("peak_gflops", d.sm_count * *table * clock_mhz * 1e6 / 1e9, unit));
    const double pct = 100 * measured_per_cycle / *table;
    if (pct <= kAbovePeakPercent) {
      r.Add(Computed("pct_of_peak", pct, "%", Better::kHigher));
    } else {
      context_.notes.Warn(fmt::format(
          "{}: {}: {:.0f}% of the looked-up {} per SM per cycle for compute capability {}.{}: "
          "the lookup is wrong for this device, so no pct_of_peak is given",
          command_, r.case_id, pct, per_cycle_unit, d.cc_major, d.cc_minor));
    }
  }
  const double rate = AsDouble(r.Find("gflops")->value);
  BestRate& slot = best[std::string(n.dtype)];
  if (wrong == 0 && rate > slot.rate) slot = {r.case_id, rate};
  sink_.Emit(std::move(r));
}

void GpuPart::MeasureCopies(const Devices& devices) {
  const struct {
    CopyKind kind;
    bool pinned;
  } kCopies[] = {{CopyKind::kDeviceKernel, false}, {CopyKind::kDeviceMemcpy, false},
                 {CopyKind::kHostToDevice, true},  {CopyKind::kDeviceToHost, true},
                 {CopyKind::kHostToDevice, false}, {CopyKind::kDeviceToHost, false}};
  for (const auto& copy : kCopies) {
    if (devices.devices.empty()) {
      Skip(Result(command_, CopyCaseId(copy.kind, copy.pinned, 0)), devices.why_none);
      continue;
    }
    for (const DeviceFacts& d : devices.devices) Copy(d, copy.kind, copy.pinned);
  }
}

void GpuPart::Copy(const DeviceFacts& d, CopyKind kind, bool pinned) {
  const bool on_device = kind == CopyKind::kDeviceKernel || kind == CopyKind::kDeviceMemcpy;
  const std::string host_kind = pinned ? "pinned" : "pageable";
  const std::string id = CopyCaseId(kind, pinned, d.index);
  Result r(command_, id);
  r.Param("device", "gpu").Param("gpu", d.name);
  r.Param("method", kind == CopyKind::kDeviceKernel ? "copy kernel, 16-byte loads and stores"
                                                    : "cudaMemcpyAsync");
  if (!on_device) r.Param("host_memory", host_kind);
  const bool quick = context_.config.quick;
  // Device buffers far larger than the L2; host buffers large against the link's start-up.
  const std::uint64_t bytes =
      on_device ? std::min<std::uint64_t>(quick ? 256 * kMiB : 1024 * kMiB, d.memory_bytes / 8)
                : (quick ? 64 : 256) * kMiB;
  r.Param("buffer_bytes", std::to_string(bytes));
  const TimingOptions timing = context_.Timing(kTiming);
  const CopyTiming copies =
      TimeCopies(d.index, kind, pinned, bytes, 2 * timing.repetitions, timing.case_budget_seconds);
  if (!copies.error.empty()) {
    Skip(std::move(r), "CUDA: " + copies.error);
    return;
  }
  std::vector<double> rates;
  for (double s : copies.seconds) rates.push_back(copies.bytes / s / 1e9);
  r.AddSampled("gbps", rates, "GB/s", Better::kHigher);
  r.Add(Computed("verified", copies.verified ? "yes" : "NO"));
  if (!copies.verified) {
    context_.notes.Warn(command_ + ": " + id + ": the copy's destination does not hold the source");
  }
  const double gbps = AsDouble(r.Find("gbps")->value);
  if (on_device) {
    // Bytes read plus bytes written, against the memory's looked-up rate.
    r.Param("counts", "bytes read + bytes written");
    if (const double peak = MemoryGbps(d.memory_clock_mhz, d.memory_bus_bits); peak > 0) {
      r.Add(Fact("memory_gbps", peak, Source::kComputed, "GB/s"));
      r.Add(Computed("pct_of_memory", 100 * gbps / peak, "%", Better::kHigher));
    }
    sink_.Emit(std::move(r));
    return;
  }
  // The link right after the copies (GPUs slow an idle link down), from the driver, else sysfs.
  const Nvml& nvml = DriverOf(d);
  std::optional<PcieLink> link = nvml.CurrentLink();
  std::string link_source = "NVML";
  if (!link) {
    link = SysfsLink(d.pci_bus_id);
    link_source = "sysfs";
  }
  if (const auto max = nvml.MaxLink()) {
    r.Param("max_link", fmt::format("PCIe gen{} x{}", max->generation, max->lanes));
  }
  const std::optional<double> link_gbps =
      link ? PcieGbps(link->generation, link->lanes) : std::nullopt;
  if (link && link_gbps) {
    r.Param("link", fmt::format("PCIe gen{} x{} ({})", link->generation, link->lanes, link_source));
    r.Add(Fact("link_gbps", *link_gbps, Source::kComputed, "GB/s"));
    r.Add(Computed("pct_of_link", 100 * gbps / *link_gbps, "%", Better::kHigher));
  } else {
    r.Param("link", "unknown (" + nvml.why() + "; no sysfs link for " + d.pci_bus_id + ")");
  }
  sink_.Emit(std::move(r));
}

}  // namespace sysbench::gpu
