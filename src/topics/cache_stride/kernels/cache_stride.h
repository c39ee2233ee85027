// The seed's stride loop: multiply every K-th int32 of a large array by 3, in address order or
// with the array's 4 KiB blocks visited in a random order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sysbench::kernels {

// Block size of the random order: the prefetchers stop at 4 KiB page boundaries, so a random
// order of pages leaves them nothing to follow from one block to the next.
inline constexpr std::size_t kStrideBlockBytes = 4096;

// a[i] *= 3 (wrapping, as uint32) for i = 0, stride, 2*stride ... < count. Returns the touches.
// stride == 1 runs the contiguous loop, which the compiler vectorises.
std::uint64_t StrideUpdate(std::int32_t* data, std::size_t count, std::size_t stride);

// The same for stride 1 with vectorisation forbidden: one element per instruction chain.
std::uint64_t StrideUpdateScalar(std::int32_t* data, std::size_t count);

// Strides 1, 2, 4 and 8 with 256-bit vectors (8 ints each): loads
// 8 ints, triples the touched lanes and stores the vector back, so untouched lanes are rewritten
// unchanged and the same lines move. Other strides fall back to StrideUpdate. Call only when the
// CPU has AVX2. Returns the touches, like StrideUpdate.
std::uint64_t StrideUpdateAvx2(std::int32_t* data, std::size_t count, std::size_t stride);
// Whether StrideUpdateAvx2 vectorises this stride.
inline bool Avx2Handles(std::size_t stride) {
  return stride == 1 || stride == 2 || stride == 4 || stride == 8;
}

// The same touches as StrideUpdate, visiting blocks of BlockElements(stride) elements (about
// 4 KiB, or one stride) in the order `blocks` gives (each block once); inside a block, in address
// order.
// `update` runs each block (nullptr: StrideUpdate).
using UpdateFn = std::uint64_t (*)(std::int32_t*, std::size_t, std::size_t);
std::uint64_t BlockOrderUpdate(std::int32_t* data, std::size_t count, std::size_t stride,
                               const std::vector<std::uint32_t>& blocks, UpdateFn update = nullptr);

// Elements per block for a stride (in elements): the largest multiple of the stride that fits
// kStrideBlockBytes, or the stride itself when it is larger.
std::size_t BlockElements(std::size_t stride);
// A random permutation of 0 .. count-1 (deterministic for a seed).
std::vector<std::uint32_t> RandomPermutation(std::size_t count, std::uint64_t seed);

// Wrapping sum of all elements, to check the kernels against a plain loop.
std::uint64_t Checksum(const std::int32_t* data, std::size_t count);

}  // namespace sysbench::kernels
