// Pure logic of `sysbench disk`: where the next I/O goes and what a write carries. No I/O here.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// xorshift64*: cheap, never 0 for a non-zero seed, good enough to spread offsets and fill buffers.
std::uint64_t NextRandom(std::uint64_t& state);

// Fills `bytes` bytes with random data so a write cannot be compressed or deduplicated away.
void FillRandomBytes(unsigned char* data, std::size_t bytes, std::uint64_t& state);

// Writes a fresh random word at the start of every 512-byte sector, so no write repeats the bytes
// already on the disk (storage that skips or dedups unchanged blocks would otherwise look fast).
void ScrambleSectors(unsigned char* data, std::size_t bytes, std::uint64_t& state);

// Offsets of `block` bytes inside a region of `region` bytes (a whole number of blocks):
// sequential ones wrap at the end, random ones are uniform over the blocks and block-aligned.
class OffsetGenerator {
 public:
  OffsetGenerator(bool random, std::uint64_t block, std::uint64_t region, std::uint64_t seed);
  std::uint64_t Next();
  std::uint64_t Blocks() const { return blocks_; }

 private:
  bool random_;
  std::uint64_t block_;
  std::uint64_t blocks_;
  std::uint64_t next_ = 0;
  std::uint64_t state_;
};

// True for 1, 2, 4, ...; false for 0.
constexpr bool IsPowerOfTwo(std::uint64_t value) {
  return value != 0 && (value & (value - 1)) == 0;
}

}  // namespace sysbench::kernels
