#include "topics/mmap/kernels/mmap_kernels.h"

#include <cstring>

namespace sysbench::kernels {

std::uint64_t SplitMix64(std::uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  std::uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t FillRandom(std::uint64_t* words, std::size_t count, std::uint64_t& state) {
  std::uint64_t last = 0;
  for (std::size_t i = 0; i < count; ++i) {
    last = SplitMix64(state);
    words[i] = last;
  }
  return last;
}

std::uint64_t TouchPages(unsigned char* base, std::size_t pages, std::size_t page_bytes) {
  for (std::size_t i = 0; i < pages; ++i) {
    base[i * page_bytes] = static_cast<unsigned char>(i + 1);
  }
  return pages;
}

std::uint64_t SumWords(const void* data, std::size_t bytes) {
  const auto* p = static_cast<const unsigned char*>(data);
  const std::size_t words = bytes / 8;
  // Four independent sums so the adds do not wait on each other; memcpy keeps loads legal for
  // any alignment and compiles to plain (vector) loads.
  std::uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= words; i += 4) {
    std::uint64_t w[4];
    std::memcpy(w, p + i * 8, sizeof w);
    s0 += w[0];
    s1 += w[1];
    s2 += w[2];
    s3 += w[3];
  }
  for (; i < words; ++i) {
    std::uint64_t w;
    std::memcpy(&w, p + i * 8, sizeof w);
    s0 += w;
  }
  return s0 + s1 + s2 + s3;
}

std::uint64_t SumPagesInOrder(const unsigned char* base, const std::uint32_t* order,
                              std::size_t count, std::size_t page_bytes) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) {
    sum += SumWords(base + static_cast<std::size_t>(order[i]) * page_bytes, page_bytes);
  }
  return sum;
}

}  // namespace sysbench::kernels
