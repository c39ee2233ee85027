// One timed launch of an arithmetic kernel over one full wave of the device, shared by the
// CUDA-core, mma.sync and wgmma kernels: CUDA events around the launch, each block's clock64 span,
// and every result compared with the value its chain must reach.
#pragma once

#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "topics/gpu/gpu_runtime.h"

namespace sysbench::gpu::detail {

// Frees on every path out of a launch.
template <typename T>
struct DeviceBuffer {
  T* data = nullptr;
  cudaError_t status = cudaSuccess;
  explicit DeviceBuffer(std::size_t count) {
    status = cudaMalloc(reinterpret_cast<void**>(&data), count * sizeof(T));
  }
  ~DeviceBuffer() {
    if (data != nullptr) cudaFree(data);
  }
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
};

struct EventPair {
  cudaEvent_t start = nullptr, stop = nullptr;
  EventPair() {
    cudaEventCreate(&start);
    cudaEventCreate(&stop);
  }
  ~EventPair() {
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
  }
  EventPair(const EventPair&) = delete;
  EventPair& operator=(const EventPair&) = delete;
};

inline std::string CudaError(cudaError_t status) {
  return std::string(cudaGetErrorName(status)) + ": " + cudaGetErrorString(status);
}

// Launches `launch(results, spans)` once on `blocks` blocks that write `results` values and one
// span each; `expected(i)` is what result i must hold. `operations` is what the launch does.
template <typename Acc, typename Launch, typename Expected>
ArithmeticLaunch TimedWave(int blocks, std::size_t results, double operations, Launch launch,
                           Expected expected) {
  ArithmeticLaunch out;
  DeviceBuffer<Acc> values(results);
  DeviceBuffer<long long> spans(static_cast<std::size_t>(blocks));
  if (values.status != cudaSuccess || spans.status != cudaSuccess) {
    out.error = CudaError(values.status != cudaSuccess ? values.status : spans.status);
    return out;
  }
  EventPair events;
  cudaEventRecord(events.start);
  launch(values.data, spans.data);
  cudaEventRecord(events.stop);
  cudaError_t status = cudaGetLastError();
  if (status == cudaSuccess) status = cudaEventSynchronize(events.stop);
  if (status != cudaSuccess) {
    out.error = CudaError(status);
    return out;
  }
  float ms = 0;
  cudaEventElapsedTime(&ms, events.start, events.stop);
  std::vector<Acc> host(results);
  std::vector<long long> host_spans(static_cast<std::size_t>(blocks));
  status = cudaMemcpy(host.data(), values.data, results * sizeof(Acc), cudaMemcpyDeviceToHost);
  if (status == cudaSuccess) {
    status = cudaMemcpy(host_spans.data(), spans.data, host_spans.size() * sizeof(long long),
                        cudaMemcpyDeviceToHost);
  }
  if (status != cudaSuccess) {
    out.error = CudaError(status);
    return out;
  }
  out.seconds = static_cast<double>(ms) / 1e3;
  out.sm_cycles = static_cast<double>(*std::max_element(host_spans.begin(), host_spans.end()));
  out.operations = operations;
  out.checked = results;
  for (std::size_t i = 0; i < results; ++i) {
    if (!(host[i] == expected(i))) ++out.wrong;
  }
  return out;
}

// Blocks that are resident at once: one full wave, so each block's span covers the launch.
template <typename Kernel>
int WaveBlocks(Kernel kernel, int threads, int sm_count) {
  int per_sm = 0;
  cudaOccupancyMaxActiveBlocksPerMultiprocessor(&per_sm, kernel, threads, 0);
  return std::max(per_sm, 1) * sm_count;
}

// The tensor-core kernels multiply tiles of ones: each accumulator grows by exactly K (the
// instruction's inner dimension) per instruction, whatever the layout.
enum class TensorType { kF16, kBf16, kInt8 };
// Two f16 1.0, two bf16 1.0, four int8 1 in one 32-bit register.
constexpr std::uint32_t OnesOf(TensorType type) {
  return type == TensorType::kF16    ? 0x3C003C00u
         : type == TensorType::kBf16 ? 0x3F803F80u
                                     : 0x01010101u;
}
// K of the mma.sync and wgmma shapes used: 16 for 16-bit operands, 32 for int8.
constexpr int InnerOf(TensorType type) { return type == TensorType::kInt8 ? 32 : 16; }
// How far an accumulator may grow and stay exact (f32 holds every integer below 2^24): the
// launchers cut the work they are asked for to that, so the check never fails for its size.
constexpr std::uint64_t kMaxExactGrowth = 16000000;

// Implemented in wgmma.cu (sm_90a code only).
ArithmeticLaunch LaunchWgmma(GpuOp op, std::uint64_t work, int sm_count);

}  // namespace sysbench::gpu::detail
