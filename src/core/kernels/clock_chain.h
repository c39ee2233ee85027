// A chain of dependent register adds: each add waits for the previous one, so the chain runs at
// exactly one add per core cycle and its duration gives the core clock.
#pragma once

#include <cstdint>

namespace sysbench::kernels {

inline constexpr std::uint64_t kAddsPerChainIteration = 200;

// Runs iterations * kAddsPerChainIteration dependent adds of `step` onto `start`; returns the sum.
std::uint64_t DependentAddChain(std::uint64_t iterations, std::uint64_t start, std::uint64_t step);

}  // namespace sysbench::kernels
