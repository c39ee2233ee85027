// Looked-up rates of a GPU and the arithmetic that turns them into peaks: operations per SM per
// cycle by compute capability, memory bandwidth from the memory clock and bus, and a PCIe link's
// rate from its generation (or transfer rate) and width.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "topics/gpu/gpu_runtime.h"

namespace sysbench::gpu {

// Names of one arithmetic case, as the output shows them.
struct OpNames {
  std::string_view op;           // "fma", "mad", "dp4a", "mma", "wgmma"
  std::string_view dtype;        // "f64", "f32", "f16", "bf16", "int32", "int8"
  std::string_view unit;         // "cores" (CUDA cores) or "tensor"
  std::string_view instruction;  // the SASS it compiles to, e.g. "FFMA", "HGMMA.64x256x16.F32"
  bool integer = false;
};
OpNames NamesOf(GpuOp op);
// Every operation, in the order the cases run.
const std::vector<GpuOp>& AllGpuOps();
// The operations on these data types ("f32", "int8", ...), in that order.
std::vector<GpuOp> OpsOfDtypes(const std::vector<std::string>& dtypes);

// Floating-point (or integer) operations per SM per clock that the unit `op` runs on can sustain
// (an FMA counts 2), from NVIDIA's published figures for the compute capability (CUDA C++
// Programming Guide throughput table, architecture whitepapers; dense tensor rates). Empty when
// this table has no entry: then no peak is computed, and the measured rate per SM and cycle stands
// alone.
std::optional<double> OpsPerSmCycle(int cc_major, int cc_minor, GpuOp op);

// Peak memory bandwidth in GB/s from the looked-up memory clock (MHz) and bus width (bits),
// counting two transfers per clock (DDR, HBM): 0 when either is unknown.
double MemoryGbps(double memory_clock_mhz, int bus_bits);

// A PCIe link's rate per direction in GB/s after line encoding: generation 1-6 and lanes.
std::optional<double> PcieGbps(int generation, int lanes);
// The generation from sysfs's current_link_speed text ("32.0 GT/s PCIe"): empty when unknown.
std::optional<int> PcieGenerationFromSpeed(std::string_view text);

}  // namespace sysbench::gpu
