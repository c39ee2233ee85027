// Baseline bandwidth kernels (x86-64 baseline, SSE2): plain loops the compiler may vectorise, and
// movntpd for non-temporal stores.
#include <emmintrin.h>

#include "topics/bandwidth/kernels/bandwidth_kernels.h"

namespace sysbench::kernels {
namespace {

// Non-temporal: two doubles at a time (16-byte aligned: parts start 64-byte aligned).
template <typename F>
void StoreNt(double* out, std::size_t n, F value) {
  std::size_t i = 0;
  for (; i + 2 <= n; i += 2) _mm_stream_pd(out + i, _mm_set_pd(value(i + 1), value(i)));
  for (; i < n; ++i) out[i] = value(i);
  _mm_sfence();
}

template <typename F>
void Store(double* out, std::size_t n, bool nt, F value) {
  if (nt) {
    StoreNt(out, n, value);
    return;
  }
  for (std::size_t i = 0; i < n; ++i) out[i] = value(i);
}

double Pass(StreamKernel kernel, const StreamPart& p, double s, bool nt) {
  double* const a = p.a;
  double* const b = p.b;
  double* const c = p.c;
  switch (kernel) {
    case StreamKernel::kRead: {
      double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      std::size_t i = 0;
      for (; i + 4 <= p.n; i += 4) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
      }
      for (; i < p.n; ++i) s0 += a[i];
      return (s0 + s1) + (s2 + s3);
    }
    case StreamKernel::kWrite:
      Store(a, p.n, nt, [s](std::size_t) { return s; });
      break;
    case StreamKernel::kCopy:
      Store(c, p.n, nt, [a](std::size_t i) { return a[i]; });
      break;
    case StreamKernel::kScale:
      Store(b, p.n, nt, [s, c](std::size_t i) { return s * c[i]; });
      break;
    case StreamKernel::kAdd:
      Store(c, p.n, nt, [a, b](std::size_t i) { return a[i] + b[i]; });
      break;
    case StreamKernel::kTriad:
      Store(a, p.n, nt, [s, b, c](std::size_t i) { return b[i] + s * c[i]; });
      break;
  }
  return 0;
}

}  // namespace

double StreamScalar(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                    std::uint64_t repeats) {
  double total = 0;
  for (std::uint64_t r = 0; r < repeats; ++r) {
    total += Pass(kernel, part, scalar, nt);
    asm volatile("" : : : "memory");
  }
  return total;
}

}  // namespace sysbench::kernels
