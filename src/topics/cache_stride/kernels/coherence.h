// Two cores updating counters a few bytes apart: while the counters share a cache line, every
// atomic update must take the line from the other core, so the updates are slow; once they are a
// line apart, each core keeps its own line.
#pragma once

#include <atomic>
#include <cstdint>

namespace sysbench::kernels {

// `count` atomic increments of `mine` (lock-prefixed read-modify-write). Halfway through, reads
// `other` once and returns what it saw: when the partner ran at the same time, that is strictly
// between its start and end values, which tells a trial where the two overlapped from one where
// they took turns.
std::uint32_t ContendedIncrements(std::atomic<std::uint32_t>& mine,
                                  const std::atomic<std::uint32_t>& other, std::uint32_t count);

}  // namespace sysbench::kernels
