// Copies timed with CUDA events: a copy kernel of 16-byte loads and stores and cudaMemcpy between
// two device buffers, and cudaMemcpy across the link from pinned or pageable host memory.
#include <cuda_runtime.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "sysbench/case_budget.h"
#include "topics/gpu/gpu_runtime.h"
#include "topics/gpu/kernels/wave.cuh"

namespace sysbench::gpu {
namespace {

// One block copies kCopyUnroll x kCopyThreads consecutive 16-byte words: each thread has both its
// loads in flight before its stores, and the grid covers the buffer once (no grid-stride loop). On
// an H200 this beat persistent grid-stride loops of 1-8 loads per thread and streaming hints by
// 5-10% (bench notes in docs/gpu.md).
constexpr int kCopyThreads = 128;
constexpr int kCopyUnroll = 2;
constexpr int kFillThreads = 256;
constexpr std::uint32_t kPattern = 0x5A17C0DEu;

__global__ void CopyKernel(const uint4* __restrict__ source, uint4* __restrict__ target,
                           std::size_t count) {
  const std::size_t first = std::size_t{blockIdx.x} * kCopyThreads * kCopyUnroll + threadIdx.x;
  uint4 words[kCopyUnroll];
#pragma unroll
  for (int u = 0; u < kCopyUnroll; ++u) {
    const std::size_t i = first + static_cast<std::size_t>(u) * kCopyThreads;
    if (i < count) words[u] = source[i];
  }
#pragma unroll
  for (int u = 0; u < kCopyUnroll; ++u) {
    const std::size_t i = first + static_cast<std::size_t>(u) * kCopyThreads;
    if (i < count) target[i] = words[u];
  }
}

__global__ void Fill(std::uint32_t* data, std::size_t count, std::uint32_t seed) {
  const std::size_t stride = std::size_t{gridDim.x} * blockDim.x;
  for (std::size_t i = std::size_t{blockIdx.x} * blockDim.x + threadIdx.x; i < count; i += stride) {
    data[i] = seed ^ static_cast<std::uint32_t>(i * 2654435761u);
  }
}

// Host memory of either kind, freed on every path.
struct HostBuffer {
  void* data = nullptr;
  bool pinned = false;
  cudaError_t status = cudaSuccess;
  HostBuffer(std::size_t bytes, bool pin) : pinned(pin) {
    if (pinned) {
      status = cudaMallocHost(&data, bytes);
    } else {
      data = std::malloc(bytes);
      if (data == nullptr) status = cudaErrorMemoryAllocation;
    }
    // Touch every page, so the copies measure the link rather than first-touch faults.
    if (data != nullptr) std::memset(data, 0x3C, bytes);
  }
  ~HostBuffer() {
    if (data == nullptr) return;
    if (pinned) {
      cudaFreeHost(data);
    } else {
      std::free(data);
    }
  }
  HostBuffer(const HostBuffer&) = delete;
  HostBuffer& operator=(const HostBuffer&) = delete;
};

// Whether `words` of device memory at `device_data` match the host's copy of what was sent.
bool SameOnHost(const void* device_data, const std::uint32_t* expected, std::size_t words) {
  std::vector<std::uint32_t> back(words);
  if (cudaMemcpy(back.data(), device_data, words * 4, cudaMemcpyDeviceToHost) != cudaSuccess) {
    return false;
  }
  return std::memcmp(back.data(), expected, words * 4) == 0;
}

}  // namespace

CopyTiming TimeCopies(int device, CopyKind kind, bool pinned, std::uint64_t bytes, int repetitions,
                      double budget_seconds) {
  CopyTiming out;
  const auto fail = [&](cudaError_t status) {
    out.error = detail::CudaError(status);
    return out;
  };
  cudaError_t status = cudaSetDevice(device);
  if (status != cudaSuccess) return fail(status);
  bytes -= bytes % 16;
  const std::size_t words = bytes / 4;
  detail::DeviceBuffer<std::uint32_t> source(words), target(words);
  if (source.status != cudaSuccess) return fail(source.status);
  if (target.status != cudaSuccess) return fail(target.status);
  Fill<<<1024, kFillThreads>>>(source.data, words, kPattern);
  std::unique_ptr<HostBuffer> host;
  if (kind == CopyKind::kHostToDevice || kind == CopyKind::kDeviceToHost) {
    host = std::make_unique<HostBuffer>(bytes, pinned);
    if (host->status != cudaSuccess) return fail(host->status);
    auto* words_on_host = static_cast<std::uint32_t*>(host->data);
    for (std::size_t i = 0; i < words; ++i) {
      words_on_host[i] = kPattern ^ static_cast<std::uint32_t>(i * 2654435761u) ^ 0xFFFFu;
    }
  }
  const std::size_t per_block = std::size_t{kCopyThreads} * kCopyUnroll;
  const auto copy_blocks = static_cast<unsigned>((bytes / 16 + per_block - 1) / per_block);
  detail::EventPair events;
  // One untimed round first: it maps the pages and brings the clocks up.
  const CaseBudget budget(budget_seconds);
  for (int round = 0; round <= repetitions && (round < 2 || !budget.Spent()); ++round) {
    cudaEventRecord(events.start);
    switch (kind) {
      case CopyKind::kDeviceKernel:
        CopyKernel<<<copy_blocks, kCopyThreads>>>(reinterpret_cast<const uint4*>(source.data),
                                                  reinterpret_cast<uint4*>(target.data),
                                                  bytes / 16);
        break;
      case CopyKind::kDeviceMemcpy:
        cudaMemcpyAsync(target.data, source.data, bytes, cudaMemcpyDeviceToDevice);
        break;
      case CopyKind::kHostToDevice:
        cudaMemcpyAsync(target.data, host->data, bytes, cudaMemcpyHostToDevice);
        break;
      case CopyKind::kDeviceToHost:
        cudaMemcpyAsync(host->data, source.data, bytes, cudaMemcpyDeviceToHost);
        break;
    }
    cudaEventRecord(events.stop);
    status = cudaGetLastError();
    if (status == cudaSuccess) status = cudaEventSynchronize(events.stop);
    if (status != cudaSuccess) return fail(status);
    float ms = 0;
    cudaEventElapsedTime(&ms, events.start, events.stop);
    if (round > 0) out.seconds.push_back(static_cast<double>(ms) / 1e3);
  }
  const bool device_only = kind == CopyKind::kDeviceKernel || kind == CopyKind::kDeviceMemcpy;
  out.bytes = static_cast<double>(device_only ? 2 * bytes : bytes);
  // What arrived must be what was sent.
  switch (kind) {
    case CopyKind::kDeviceKernel:
    case CopyKind::kDeviceMemcpy: {
      std::vector<std::uint32_t> expected(words);
      cudaMemcpy(expected.data(), source.data, bytes, cudaMemcpyDeviceToHost);
      out.verified = SameOnHost(target.data, expected.data(), words);
      break;
    }
    case CopyKind::kHostToDevice:
      out.verified = SameOnHost(target.data, static_cast<const std::uint32_t*>(host->data), words);
      break;
    case CopyKind::kDeviceToHost:
      out.verified = SameOnHost(source.data, static_cast<const std::uint32_t*>(host->data), words);
      break;
  }
  return out;
}

}  // namespace sysbench::gpu
