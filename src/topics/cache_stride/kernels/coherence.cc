#include "topics/cache_stride/kernels/coherence.h"

namespace sysbench::kernels {

std::uint32_t ContendedIncrements(std::atomic<std::uint32_t>& mine,
                                  const std::atomic<std::uint32_t>& other, std::uint32_t count) {
  const std::uint32_t half = count / 2;
  for (std::uint32_t i = 0; i < half; ++i) mine.fetch_add(1, std::memory_order_relaxed);
  const std::uint32_t seen = other.load(std::memory_order_relaxed);
  for (std::uint32_t i = half; i < count; ++i) mine.fetch_add(1, std::memory_order_relaxed);
  return seen;
}

}  // namespace sysbench::kernels
