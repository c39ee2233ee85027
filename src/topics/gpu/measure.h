// The GPU part of a run, shared by `sysbench gpu` and `sysbench flops --device gpu|all`: the
// device facts, the arithmetic cases and the copies, each as results of the calling command.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sysbench/command.h"
#include "topics/gpu/gpu_runtime.h"
#include "topics/gpu/nvml.h"

namespace sysbench::gpu {

// The fastest GPU case per data type ("f32" -> its case id and rate), for the CPU-vs-GPU rows.
struct BestRate {
  std::string case_id;
  double rate = 0;  // GFLOP/s or GOP/s
};
using BestByDtype = std::map<std::string, BestRate>;

// One line per device for the run's context (what --format json carries under "gpus"), or the
// reason there is none.
std::vector<std::string> DescribeDevices(const Devices& devices);
// The devices, found once per process (the CUDA runtime's start costs a few hundred ms).
const Devices& CachedDevices();

class GpuPart {
 public:
  GpuPart(const RunContext& context, std::string command, ResultSink& sink)
      : context_(context), command_(std::move(command)), sink_(sink) {}
  // One result of looked-up facts per device.
  void EmitFacts(const Devices& devices);
  // Every arithmetic case on every device (skipped rows with the reason where none runs).
  BestByDtype MeasureArithmetic(const Devices& devices, const std::vector<GpuOp>& ops);
  // Device-to-device copies and host transfers.
  void MeasureCopies(const Devices& devices);

 private:
  void Arithmetic(const DeviceFacts& device, GpuOp op, BestByDtype& best);
  void Copy(const DeviceFacts& device, CopyKind kind, bool pinned);
  void Skip(Result r, const std::string& why);
  // The driver's view of the device, opened once (NVML's start is slow).
  const Nvml& DriverOf(const DeviceFacts& device);

  const RunContext& context_;
  std::string command_;
  ResultSink& sink_;
  std::map<int, std::unique_ptr<Nvml>> nvml_;
};

}  // namespace sysbench::gpu
