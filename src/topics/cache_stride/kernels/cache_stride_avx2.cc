// Compiled with -mavx2 (cmake/Sources.cmake); called only when cpuid reports AVX2.
#include <immintrin.h>

#include "topics/cache_stride/kernels/cache_stride.h"

namespace sysbench::kernels {

std::uint64_t StrideUpdateAvx2(std::int32_t* data, std::size_t count, std::size_t stride) {
  if (!Avx2Handles(stride)) return StrideUpdate(data, count, stride);
  // Lane i is touched when i % stride == 0 (all ones in the blend mask).
  alignas(32) std::int32_t lanes[8];
  for (std::size_t i = 0; i < 8; ++i) lanes[i] = i % stride == 0 ? -1 : 0;
  const __m256i mask = _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes));
  std::size_t i = 0;
  for (; i + 16 <= count; i += 16) {
    __m256i* p = reinterpret_cast<__m256i*>(data + i);
    const __m256i a = _mm256_loadu_si256(p);
    const __m256i b = _mm256_loadu_si256(p + 1);
    // x * 3 = x + 2x, wrapping like the scalar loop.
    const __m256i a3 = _mm256_add_epi32(a, _mm256_slli_epi32(a, 1));
    const __m256i b3 = _mm256_add_epi32(b, _mm256_slli_epi32(b, 1));
    _mm256_storeu_si256(p, _mm256_blendv_epi8(a, a3, mask));
    _mm256_storeu_si256(p + 1, _mm256_blendv_epi8(b, b3, mask));
  }
  // The tail: i is a multiple of 16, hence of the stride.
  for (; i < count; i += stride) {
    data[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(data[i]) * 3u);
  }
  return (count + stride - 1) / stride;
}

}  // namespace sysbench::kernels
