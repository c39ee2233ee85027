// The loops `sysbench mmap` times: touching pages, reading mapped bytes, filling a file with
// incompressible data. No I/O, no exceptions; each returns a value so the work cannot be deleted.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// splitmix64: a fast generator whose output does not compress. Advances `state`.
std::uint64_t SplitMix64(std::uint64_t& state);

// Fills `count` words with SplitMix64 output (never zeros as a block); returns the last word.
std::uint64_t FillRandom(std::uint64_t* words, std::size_t count, std::uint64_t& state);

// Writes one byte into each of the `pages` pages at `base` (page i gets the low byte of i + 1),
// the way a first touch faults a page in; returns the number of pages written.
std::uint64_t TouchPages(unsigned char* base, std::size_t pages, std::size_t page_bytes);

// Sums `bytes / 8` 64-bit words at `data` (every byte is read); `bytes` is a multiple of 8.
std::uint64_t SumWords(const void* data, std::size_t bytes);

// Reads whole pages in the given order (page numbers); returns the sum of all their words.
std::uint64_t SumPagesInOrder(const unsigned char* base, const std::uint32_t* order,
                              std::size_t count, std::size_t page_bytes);

}  // namespace sysbench::kernels
