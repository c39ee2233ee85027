// What the GPU cases need from the CUDA runtime, behind plain C++ types: one implementation calls
// CUDA (gpu_runtime.cc, kernels/*.cu), the other (gpu_none.cc) is built where no CUDA compiler was
// found and reports every GPU as absent, with that reason.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sysbench::gpu {

// One device as the CUDA runtime describes it: every field is looked up, none measured.
struct DeviceFacts {
  int index = 0;
  std::string name;
  int cc_major = 0, cc_minor = 0;  // compute capability
  int sm_count = 0;
  double max_sm_clock_mhz = 0;  // the runtime's clock rate attribute (boost)
  double memory_clock_mhz = 0;  // 0 where the runtime does not say
  int memory_bus_bits = 0;
  std::uint64_t memory_bytes = 0;
  std::uint64_t l2_bytes = 0;
  std::string pci_bus_id;   // "0000:0A:00.0"
  int driver_version = 0;   // 13000 for CUDA 13.0
  int runtime_version = 0;  // the cudart this binary carries
};

// The devices, or why there are none ("no CUDA driver", "no CUDA device", "built without CUDA").
struct Devices {
  std::vector<DeviceFacts> devices;
  std::string why_none;
};
Devices FindDevices();

// The arithmetic a kernel repeats: long independent chains on the CUDA cores, and matrix
// instructions on the tensor cores (mma.sync warp-wide, wgmma warpgroup-wide on Hopper).
enum class GpuOp {
  kF64Fma,
  kF32Fma,
  kF16Fma,   // half2: two lanes per instruction
  kBf16Fma,  // bfloat162
  kInt32Mad,
  kInt8Dp4a,
  kF16Mma,
  kBf16Mma,
  kInt8Mma,
  kF16Wgmma,
  kBf16Wgmma,
  kInt8Wgmma,
};

// One launch of an arithmetic kernel over one full wave of the device (every block resident).
struct ArithmeticLaunch {
  double seconds = 0;         // CUDA events around the launch
  double sm_cycles = 0;       // the longest block's clock64 span: cycles of the SM clock
  double operations = 0;      // what the launch did (an FMA is 2, a dp4a 8)
  std::uint64_t checked = 0;  // results compared with the value the chains must reach
  std::uint64_t wrong = 0;    // of those, how many differed
  std::string error;          // the CUDA error, empty when the launch ran
};
// `work` scales the launch: iterations of each thread's (or warpgroup's) loop.
ArithmeticLaunch LaunchArithmetic(int device, GpuOp op, std::uint64_t work);
// Why `op` cannot run on this device (empty when it can): "needs compute capability 9.0" ...
std::string ArithmeticUnsupported(const DeviceFacts& device, GpuOp op);

// Copies. Bytes moved count what a copy reads plus what it writes on the device (device to
// device) or what crosses the link (host to device, device to host).
enum class CopyKind { kDeviceKernel, kDeviceMemcpy, kHostToDevice, kDeviceToHost };
struct CopyTiming {
  std::vector<double> seconds;  // one per repetition, CUDA events around each
  double bytes = 0;             // per repetition
  bool verified = false;        // the destination holds the source's pattern afterwards
  std::string error;
};
// `bytes` per buffer; host buffers pinned (cudaMallocHost) or pageable (plain, touched first).
// Stops repeating once `budget_seconds` have passed (keeping at least one).
CopyTiming TimeCopies(int device, CopyKind kind, bool pinned, std::uint64_t bytes, int repetitions,
                      double budget_seconds);

}  // namespace sysbench::gpu
