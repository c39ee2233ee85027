// `sysbench gpu`: the GPU next to the CPU: arithmetic per data type on the CUDA and tensor cores
// against the peak at the clock the SMs ran at, device memory copies against the memory's rate,
// and host transfers against the link's. Without a CUDA driver or device every case is skipped
// with the reason.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sysbench/reporter.h"
#include "sysbench/units.h"
#include "topics/gpu/measure.h"
#include "topics/gpu/peaks.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

const std::vector<std::string> kParts = {"flops", "memory"};
const std::vector<std::string> kDtypes = {"f64", "f32", "f16", "bf16", "int32", "int8"};

class GpuCommand final : public Command {
 public:
  std::string_view Name() const override { return "gpu"; }
  std::string_view Summary() const override {
    return "GPU arithmetic per data type and memory copies, against peaks at the measured clock";
  }
  std::vector<std::string> GateMetrics() const override { return {"gflops", "gbps"}; }
  std::vector<ChartSpec> Charts() const override {
    ChartSpec flops = ChartSpec::Bars("GPU throughput per data type (red tick: peak)", "gflops");
    flops.reference_metric = "peak_gflops";
    return {flops, ChartSpec::Bars("GPU copies", "gbps")};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--part", part_, "What to measure: " + NameListHelp(kParts, ListAll::kYes))
        ->default_str("all");
    sub.add_option("--dtype", dtype_,
                   "Data types of the arithmetic: " + NameListHelp(kDtypes, ListAll::kYes))
        ->default_str("all");
  }
  void AddContext(RunContextInfo& context) const override {
    context.gpus = gpu::DescribeDevices(gpu::CachedDevices());
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const std::vector<std::string> parts = ParseNameList(part_, "--part", kParts, ListAll::kYes);
    const std::vector<std::string> dtypes =
        ParseNameList(dtype_, "--dtype", kDtypes, ListAll::kYes);
    const auto wants = [&](const std::string& part) {
      return std::find(parts.begin(), parts.end(), part) != parts.end();
    };
    const gpu::Devices& devices = gpu::CachedDevices();
    gpu::GpuPart part(context, "gpu", sink);
    part.EmitFacts(devices);
    // Copies first: should an arithmetic kernel fail, its error sticks to the process's CUDA
    // context and would fail every copy after it.
    if (wants("memory")) part.MeasureCopies(devices);
    if (wants("flops")) part.MeasureArithmetic(devices, gpu::OpsOfDtypes(dtypes));
  }

 private:
  std::string part_ = "all";
  std::string dtype_ = "all";
};

}  // namespace

std::unique_ptr<Command> MakeGpuCommand() { return std::make_unique<GpuCommand>(); }

}  // namespace sysbench
