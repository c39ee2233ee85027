// AVX2 bandwidth kernels: 4 ymm registers (128 bytes) per array per step. Built with -mavx2 -mfma.
#include <immintrin.h>

#include "topics/bandwidth/kernels/bandwidth_kernels.h"

namespace sysbench::kernels {
namespace {

constexpr std::size_t kLanes = 4;          // doubles per register
constexpr std::size_t kStep = 4 * kLanes;  // doubles per unrolled step

inline void Store(double* p, __m256d v, bool nt) {
  if (nt) {
    _mm256_stream_pd(p, v);
  } else {
    _mm256_store_pd(p, v);
  }
}

inline double HorizontalSum(__m256d v) {
  const __m128d pair = _mm_add_pd(_mm256_castpd256_pd128(v), _mm256_extractf128_pd(v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(pair, _mm_unpackhi_pd(pair, pair)));
}

template <bool kNt>
double Pass(StreamKernel kernel, const StreamPart& part, double s) {
  double* const a = part.a;
  double* const b = part.b;
  double* const c = part.c;
  const std::size_t n = part.n;
  const std::size_t body = n - n % kStep;
  const __m256d vs = _mm256_set1_pd(s);
  double sum = 0;
  switch (kernel) {
    case StreamKernel::kRead: {
      __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0,
              s7 = s0;
      std::size_t i = 0;
      for (; i + 8 * kLanes <= body; i += 8 * kLanes) {
        s0 = _mm256_add_pd(s0, _mm256_load_pd(a + i));
        s1 = _mm256_add_pd(s1, _mm256_load_pd(a + i + 1 * kLanes));
        s2 = _mm256_add_pd(s2, _mm256_load_pd(a + i + 2 * kLanes));
        s3 = _mm256_add_pd(s3, _mm256_load_pd(a + i + 3 * kLanes));
        s4 = _mm256_add_pd(s4, _mm256_load_pd(a + i + 4 * kLanes));
        s5 = _mm256_add_pd(s5, _mm256_load_pd(a + i + 5 * kLanes));
        s6 = _mm256_add_pd(s6, _mm256_load_pd(a + i + 6 * kLanes));
        s7 = _mm256_add_pd(s7, _mm256_load_pd(a + i + 7 * kLanes));
      }
      for (; i < body; i += kLanes) s0 = _mm256_add_pd(s0, _mm256_load_pd(a + i));
      const __m256d t = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(s0, s1), _mm256_add_pd(s2, s3)),
                                      _mm256_add_pd(_mm256_add_pd(s4, s5), _mm256_add_pd(s6, s7)));
      sum = HorizontalSum(t);
      for (; i < n; ++i) sum += a[i];
      return sum;
    }
    case StreamKernel::kWrite:
      for (std::size_t i = 0; i < body; i += kStep) {
        Store(a + i, vs, kNt);
        Store(a + i + 1 * kLanes, vs, kNt);
        Store(a + i + 2 * kLanes, vs, kNt);
        Store(a + i + 3 * kLanes, vs, kNt);
      }
      for (std::size_t i = body; i < n; ++i) a[i] = s;
      break;
    case StreamKernel::kCopy:
      for (std::size_t i = 0; i < body; i += kStep) {
        for (std::size_t k = 0; k < kStep; k += kLanes)
          Store(c + i + k, _mm256_load_pd(a + i + k), kNt);
      }
      for (std::size_t i = body; i < n; ++i) c[i] = a[i];
      break;
    case StreamKernel::kScale:
      for (std::size_t i = 0; i < body; i += kStep) {
        for (std::size_t k = 0; k < kStep; k += kLanes) {
          Store(b + i + k, _mm256_mul_pd(vs, _mm256_load_pd(c + i + k)), kNt);
        }
      }
      for (std::size_t i = body; i < n; ++i) b[i] = s * c[i];
      break;
    case StreamKernel::kAdd:
      for (std::size_t i = 0; i < body; i += kStep) {
        for (std::size_t k = 0; k < kStep; k += kLanes) {
          Store(c + i + k, _mm256_add_pd(_mm256_load_pd(a + i + k), _mm256_load_pd(b + i + k)),
                kNt);
        }
      }
      for (std::size_t i = body; i < n; ++i) c[i] = a[i] + b[i];
      break;
    case StreamKernel::kTriad:
      for (std::size_t i = 0; i < body; i += kStep) {
        for (std::size_t k = 0; k < kStep; k += kLanes) {
          Store(a + i + k,
                _mm256_fmadd_pd(vs, _mm256_load_pd(c + i + k), _mm256_load_pd(b + i + k)), kNt);
        }
      }
      for (std::size_t i = body; i < n; ++i) a[i] = b[i] + s * c[i];
      break;
  }
  if (kNt) _mm_sfence();
  return sum;
}

}  // namespace

double StreamAvx2(StreamKernel kernel, const StreamPart& part, double scalar, bool nt,
                  std::uint64_t repeats) {
  double total = 0;
  for (std::uint64_t r = 0; r < repeats; ++r) {
    total += nt ? Pass<true>(kernel, part, scalar) : Pass<false>(kernel, part, scalar);
    asm volatile("" : : : "memory");
  }
  return total;
}

}  // namespace sysbench::kernels
