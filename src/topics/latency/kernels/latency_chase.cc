#include "topics/latency/kernels/latency_chase.h"

#include <array>
#include <utility>

namespace sysbench::kernels {
namespace {

// splitmix64: small, fast, and good enough to shuffle.
std::uint64_t NextRandom(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Uniform in [0, bound) without modulo bias worth noticing (Lemire's multiply-shift).
std::uint32_t Below(std::uint64_t& state, std::uint32_t bound) {
  const std::uint64_t product = (NextRandom(state) >> 32) * bound;
  return static_cast<std::uint32_t>(product >> 32);
}

template <std::size_t K>
void ChaseN(void** heads, std::uint64_t iterations) {
  std::array<void*, K> p;
  for (std::size_t k = 0; k < K; ++k) p[k] = heads[k];
  for (std::uint64_t it = 0; it < iterations; ++it) {
#pragma GCC unroll 16
    for (std::uint64_t u = 0; u < kChaseUnroll; ++u) {
#pragma GCC unroll 16
      for (std::size_t k = 0; k < K; ++k) p[k] = *static_cast<void**>(p[k]);
    }
  }
  for (std::size_t k = 0; k < K; ++k) heads[k] = p[k];
  asm volatile("" : : "r"(p.data()) : "memory");
}

using ChaseFn = void (*)(void**, std::uint64_t);

template <std::size_t... I>
constexpr std::array<ChaseFn, sizeof...(I)> MakeTable(std::index_sequence<I...>) {
  return {&ChaseN<I + 1>...};
}

constexpr auto kChaseTable = MakeTable(std::make_index_sequence<kMaxChains>());

}  // namespace

void BuildChaseCycle(void* buffer, std::size_t lines, std::size_t line_bytes, std::uint64_t seed,
                     std::uint32_t* scratch) {
  if (lines < 2) {  // one line points to itself; none: nothing to write
    if (lines == 1) *static_cast<void**>(buffer) = buffer;
    return;
  }
  // Sattolo: a uniformly random permutation with exactly one cycle; scratch[i] is the successor of
  // line i.
  for (std::size_t i = 0; i < lines; ++i) scratch[i] = static_cast<std::uint32_t>(i);
  std::uint64_t state = seed;
  for (std::size_t i = lines - 1; i > 0; --i) {
    const std::uint32_t j = Below(state, static_cast<std::uint32_t>(i));
    std::swap(scratch[i], scratch[j]);
  }
  char* base = static_cast<char*>(buffer);
  for (std::size_t i = 0; i < lines; ++i) {
    *reinterpret_cast<void**>(base + i * line_bytes) = base + scratch[i] * line_bytes;
  }
}

void ChaseLoads(void** heads, int chains, std::uint64_t iterations) {
  if (chains < 1) chains = 1;
  if (chains > kMaxChains) chains = kMaxChains;
  kChaseTable[static_cast<std::size_t>(chains - 1)](heads, iterations);
}

}  // namespace sysbench::kernels
