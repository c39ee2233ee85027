#include "topics/cache_stride/kernels/cache_stride.h"

#include <algorithm>
#include <numeric>
#include <random>

namespace sysbench::kernels {
namespace {

inline void Times3(std::int32_t& value) {
  // Unsigned arithmetic wraps where int32 would overflow; the conversion back is modular (C++20).
  value = static_cast<std::int32_t>(static_cast<std::uint32_t>(value) * 3u);
}

}  // namespace

std::uint64_t StrideUpdate(std::int32_t* data, std::size_t count, std::size_t stride) {
  if (stride <= 1) {
    for (std::size_t i = 0; i < count; ++i) Times3(data[i]);
    return count;
  }
  std::uint64_t touches = 0;
  for (std::size_t i = 0; i < count; i += stride) {
    Times3(data[i]);
    ++touches;
  }
  return touches;
}

std::uint64_t StrideUpdateScalar(std::int32_t* data, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    Times3(data[i]);
    asm volatile("");  // no instructions; only keeps the compiler from vectorising the loop
  }
  return count;
}

std::size_t BlockElements(std::size_t stride) {
  // A multiple of the stride, so block by block the touches are the same as in one sweep.
  const std::size_t page = kStrideBlockBytes / sizeof(std::int32_t);
  stride = std::max<std::size_t>(stride, 1);
  return stride >= page ? stride : page / stride * stride;
}

std::uint64_t BlockOrderUpdate(std::int32_t* data, std::size_t count, std::size_t stride,
                               const std::vector<std::uint32_t>& blocks, UpdateFn update) {
  stride = std::max<std::size_t>(stride, 1);
  const std::size_t block = BlockElements(stride);
  std::uint64_t touches = 0;
  for (std::uint32_t b : blocks) {
    const std::size_t begin = std::size_t{b} * block;
    if (begin >= count) continue;
    const std::size_t n = std::min(block, count - begin);
    if (update != nullptr) {
      touches += update(data + begin, n, stride);
    } else {
      touches += StrideUpdate(data + begin, n, stride);
    }
  }
  return touches;
}

std::vector<std::uint32_t> RandomPermutation(std::size_t count, std::uint64_t seed) {
  std::vector<std::uint32_t> order(count);
  std::iota(order.begin(), order.end(), 0u);
  std::mt19937_64 rng(seed);
  std::shuffle(order.begin(), order.end(), rng);
  return order;
}

std::uint64_t Checksum(const std::int32_t* data, std::size_t count) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += static_cast<std::uint32_t>(data[i]);
  return sum;
}

}  // namespace sysbench::kernels
