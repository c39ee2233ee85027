// The gpu topic where no CUDA compiler was found at build time: no device, with that reason.
#include "topics/gpu/gpu_runtime.h"

namespace sysbench::gpu {

namespace {
constexpr const char* kWhy = "built without CUDA (no nvcc when this sysbench was configured)";
}

Devices FindDevices() { return Devices{{}, kWhy}; }
std::string ArithmeticUnsupported(const DeviceFacts&, GpuOp) { return kWhy; }
ArithmeticLaunch LaunchArithmetic(int, GpuOp, std::uint64_t) {
  ArithmeticLaunch out;
  out.error = kWhy;
  return out;
}
CopyTiming TimeCopies(int, CopyKind, bool, std::uint64_t, int, double) {
  CopyTiming out;
  out.error = kWhy;
  return out;
}

}  // namespace sysbench::gpu
