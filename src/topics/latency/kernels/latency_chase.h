// Pointer chasing for load latency: a random cyclic permutation of cache lines, each line holding
// the address of the next, walked by chains of dependent loads.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// Loads per chain in one iteration of ChaseLoads (the loop is unrolled this far).
inline constexpr std::uint64_t kChaseUnroll = 16;
inline constexpr int kMaxChains = 16;

// Writes into `buffer` (lines * line_bytes bytes, line_bytes >= sizeof(void*)) one cycle through
// every line in a random order (Sattolo's algorithm, seeded): the first word of each line holds the
// address of the next line, so consecutive loads land on random lines of random pages. `scratch`
// must hold `lines` entries; lines < 2^32 (a single line points to itself).
void BuildChaseCycle(void* buffer, std::size_t lines, std::size_t line_bytes, std::uint64_t seed,
                     std::uint32_t* scratch);

// Follows `chains` independent chains (1..kMaxChains) from heads[0..chains), each
// iterations * kChaseUnroll dependent loads; leaves each chain's position in heads.
void ChaseLoads(void** heads, int chains, std::uint64_t iterations);

}  // namespace sysbench::kernels
