#include "topics/disk/kernels/disk_kernels.h"

#include <cstring>

namespace sysbench::kernels {

std::uint64_t NextRandom(std::uint64_t& state) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545F4914F6CDD1DULL;
}

void FillRandomBytes(unsigned char* data, std::size_t bytes, std::uint64_t& state) {
  std::size_t i = 0;
  for (; i + 8 <= bytes; i += 8) {
    const std::uint64_t word = NextRandom(state);
    std::memcpy(data + i, &word, 8);
  }
  if (i < bytes) {
    const std::uint64_t word = NextRandom(state);
    std::memcpy(data + i, &word, bytes - i);
  }
}

void ScrambleSectors(unsigned char* data, std::size_t bytes, std::uint64_t& state) {
  for (std::size_t i = 0; i + 8 <= bytes; i += 512) {
    const std::uint64_t word = NextRandom(state);
    std::memcpy(data + i, &word, 8);
  }
}

OffsetGenerator::OffsetGenerator(bool random, std::uint64_t block, std::uint64_t region,
                                 std::uint64_t seed)
    : random_(random),
      block_(block),
      blocks_(block == 0 ? 0 : region / block),
      state_(seed == 0 ? 0x9E3779B97F4A7C15ULL : seed) {}

std::uint64_t OffsetGenerator::Next() {
  if (blocks_ == 0) return 0;
  if (random_) return (NextRandom(state_) % blocks_) * block_;
  const std::uint64_t offset = next_ * block_;
  next_ = next_ + 1 == blocks_ ? 0 : next_ + 1;
  return offset;
}

}  // namespace sysbench::kernels
