#include "core/kernels/clock_chain.h"

namespace sysbench::kernels {

std::uint64_t DependentAddChain(std::uint64_t iterations, std::uint64_t start, std::uint64_t step) {
  std::uint64_t acc = start;
  for (std::uint64_t i = 0; i < iterations; ++i) {
#if defined(__x86_64__)
    // Register-register adds: recent cores fold add-immediate chains in the renamer, which would
    // make the chain faster than one add per cycle.
    asm volatile(".rept 200\n\taddq %1, %0\n\t.endr" : "+r"(acc) : "r"(step));
#else
    for (int k = 0; k < 200; ++k) {
      acc += step;
      asm volatile("" : "+r"(acc));
    }
#endif
  }
  return acc;
}

}  // namespace sysbench::kernels
