// STREAM-style bandwidth kernels over double arrays: pure read and write, and STREAM's copy,
// scale, add and triad; one implementation per instruction set, each in its own file.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

enum class StreamKernel { kRead, kWrite, kCopy, kScale, kAdd, kTriad };

// One thread's part of the three arrays (n elements each, 64-byte aligned starts).
struct StreamPart {
  double* a = nullptr;
  double* b = nullptr;
  double* c = nullptr;
  std::size_t n = 0;
};

// What each kernel does to the part, `repeats` times:
//   read  sum += a[i]            write a[i] = s
//   copy  c[i] = a[i]            scale b[i] = s * c[i]
//   add   c[i] = a[i] + b[i]     triad a[i] = b[i] + s * c[i]
// nt: stores bypass the caches (non-temporal), followed by a store fence. Returns the sum of all
// elements read by `read` over all repeats (0 for the other kernels).
using StreamFn = double (*)(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                            std::uint64_t repeats);

// Baseline x86-64 (SSE2; non-temporal stores with movntpd).
double StreamScalar(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                    std::uint64_t repeats);
// Call only when cpuid reports AVX2 (bandwidth_avx2.cc is built with -mavx2).
double StreamAvx2(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                  std::uint64_t repeats);
// Call only when cpuid reports AVX-512F (bandwidth_avx512.cc is built with -mavx512f).
double StreamAvx512(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                    std::uint64_t repeats);

// Bytes one pass of the kernel reads and writes per element, as STREAM counts them (write-allocate
// reads of the destination are not counted).
inline constexpr double StreamBytesPerElement(StreamKernel kernel) {
  switch (kernel) {
    case StreamKernel::kRead:
    case StreamKernel::kWrite:
      return 8;
    case StreamKernel::kCopy:
    case StreamKernel::kScale:
      return 16;
    case StreamKernel::kAdd:
    case StreamKernel::kTriad:
      return 24;
  }
  return 0;
}

// Number of arrays a kernel touches (read/write: 1, copy/scale: 2, add/triad: 3).
inline constexpr int StreamArrays(StreamKernel kernel) {
  return static_cast<int>(StreamBytesPerElement(kernel) / 8);
}

}  // namespace sysbench::kernels
