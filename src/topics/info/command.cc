// `sysbench info`: machine facts, looked up (cpuid, sysfs, /proc) and kept apart from what is
// measured here (the core clock and the timer).
#include <CLI/CLI.hpp>
#include <bit>

#include "core/kernels/clock_chain.h"
#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

std::int64_t I(int value) { return value; }
std::uint64_t U(std::uint64_t value) { return value; }

Result CpuResult() {
  const CpuFeatures& cpu = DetectCpuFeatures();
  const SystemInfo& info = GetSystemInfo();
  Result r("info", "cpu");
  r.Add(LookedUp("vendor", cpu.vendor))
      .Add(LookedUp("model", cpu.brand))
      .Add(LookedUp("family", I(static_cast<int>(cpu.family))))
      .Add(LookedUp("model_number", I(static_cast<int>(cpu.model))))
      .Add(LookedUp("stepping", I(static_cast<int>(cpu.stepping))))
      .Add(LookedUp("logical_cpus", I(info.logical_cpus)))
      .Add(LookedUp("physical_cores", I(info.physical_cores)))
      .Add(LookedUp("sockets", I(info.sockets)))
      .Add(LookedUp("smt", info.physical_cores > 0 && info.logical_cpus > info.physical_cores
                               ? std::string("yes")
                               : std::string("no")))
      .Add(LookedUp("isa_extensions", Join(cpu.ExtensionNames(), " ")))
      .Add(LookedUp("physical_address_bits", I(static_cast<int>(cpu.physical_address_bits))))
      .Add(LookedUp("virtual_address_bits", I(static_cast<int>(cpu.virtual_address_bits))))
      .Add(Computed("endianness",
                    std::string(std::endian::native == std::endian::little ? "little" : "big")))
      .Add(LookedUp("virtualization", info.virtualization))
      .Add(
          LookedUp("governor", info.governor.empty() ? std::string("none exposed") : info.governor))
      .Add(LookedUp("kernel", info.kernel));
  if (info.nominal_mhz) r.Add(LookedUp("nominal_mhz", *info.nominal_mhz, "MHz"));
  return r;
}

Result CacheResult(const CacheInfo& cache) {
  Result r("info", "cache/" + cache.Name());
  r.Param("level", std::to_string(cache.level))
      .Param("type", cache.type)
      .Param("looked_up_in", cache.source);
  r.Add(LookedUp("size_bytes", U(cache.size_bytes), "B"))
      .Add(LookedUp("line_bytes", I(cache.line_bytes), "B"));
  // Zero means the source did not say: absent, not a fact.
  if (cache.ways > 0) r.Add(LookedUp("ways", I(cache.ways)));
  if (!cache.shared_cpu_list.empty()) r.Add(LookedUp("shared_cpus", cache.shared_cpu_list));
  return r;
}

Result MemoryResult() {
  const SystemInfo& info = GetSystemInfo();
  std::vector<std::string> huge;
  for (std::uint64_t size : info.huge_page_sizes)
    huge.push_back(FormatBytes(static_cast<double>(size)));
  Result r("info", "memory");
  r.Add(LookedUp("page_bytes", U(info.page_size), "B"))
      .Add(LookedUp("huge_page_sizes", huge.empty() ? std::string("none") : Join(huge, " ")))
      .Add(LookedUp("total_bytes", U(info.mem_total_bytes), "B"))
      .Add(LookedUp("available_bytes", U(info.mem_available_bytes), "B"));
  return r;
}

Result ClockResult(const Runner& runner) {
  const std::vector<Sample> samples = runner.Measure([](std::uint64_t iterations) {
    DoNotOptimize(kernels::DependentAddChain(iterations, iterations, 3));
  });
  Result r("info", "clock");
  r.Param("method", "dependent register adds, 1 per cycle");
  r.AddSampled("core_clock_ghz",
               Rates(samples, static_cast<double>(kernels::kAddsPerChainIteration), 1e9), "GHz",
               Better::kNone);
  r.Add(Measured("timer_resolution_ns", ClockResolutionSeconds() * 1e9, "ns"))
      .Add(Measured("timer_overhead_ns", ClockOverheadSeconds() * 1e9, "ns"));
  return r;
}

class InfoCommand final : public Command {
 public:
  std::string_view Name() const override { return "info"; }
  std::string_view Summary() const override {
    return "Machine facts (looked up) and the core clock (measured)";
  }
  void AddOptions(CLI::App&) override {}

  void Run(const RunContext& context, ResultSink& sink) override {
    sink.Emit(CpuResult());
    for (const CacheInfo& cache : GetSystemInfo().caches) sink.Emit(CacheResult(cache));
    sink.Emit(MemoryResult());
    sink.Emit(ClockResult(context.MakeRunner()));
  }
};

}  // namespace

std::unique_ptr<Command> MakeInfoCommand() { return std::make_unique<InfoCommand>(); }

}  // namespace sysbench
