// The devices as the CUDA runtime describes them. cudart is linked statically and finds the driver
// (libcuda.so.1) at run time, so a machine without one answers "no CUDA driver" here.
#include "topics/gpu/gpu_runtime.h"

#include <cuda_runtime_api.h>

#include <string>

namespace sysbench::gpu {
namespace {

int Attribute(cudaDeviceAttr attribute, int device) {
  int value = 0;
  if (cudaDeviceGetAttribute(&value, attribute, device) != cudaSuccess) return 0;
  return value;
}

std::string WhyNone(cudaError_t status) {
  switch (status) {
    case cudaErrorNoDevice:
      return "no CUDA device";
    case cudaErrorInsufficientDriver:
    case cudaErrorInitializationError:
      return "no CUDA driver (or one older than this build's CUDA " +
             std::to_string(CUDART_VERSION / 1000) + ")";
    default:
      return std::string("the CUDA runtime failed: ") + cudaGetErrorName(status);
  }
}

}  // namespace

Devices FindDevices() {
  Devices found;
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess || count == 0) {
    found.why_none = status == cudaSuccess ? "no CUDA device" : WhyNone(status);
    cudaGetLastError();  // clear the sticky error
    return found;
  }
  int driver = 0, runtime = 0;
  cudaDriverGetVersion(&driver);
  cudaRuntimeGetVersion(&runtime);
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    DeviceFacts d;
    d.index = i;
    d.name = prop.name;
    d.cc_major = prop.major;
    d.cc_minor = prop.minor;
    d.sm_count = prop.multiProcessorCount;
    d.max_sm_clock_mhz = Attribute(cudaDevAttrClockRate, i) / 1e3;
    d.memory_clock_mhz = Attribute(cudaDevAttrMemoryClockRate, i) / 1e3;
    d.memory_bus_bits = Attribute(cudaDevAttrGlobalMemoryBusWidth, i);
    d.memory_bytes = prop.totalGlobalMem;
    d.l2_bytes = static_cast<std::uint64_t>(prop.l2CacheSize);
    char bus_id[32] = {};
    if (cudaDeviceGetPCIBusId(bus_id, sizeof bus_id, i) == cudaSuccess) d.pci_bus_id = bus_id;
    d.driver_version = driver;
    d.runtime_version = runtime;
    found.devices.push_back(d);
  }
  if (found.devices.empty()) found.why_none = "no CUDA device answered";
  return found;
}

}  // namespace sysbench::gpu
