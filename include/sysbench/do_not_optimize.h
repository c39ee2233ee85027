// Keep values and memory effects alive so the compiler cannot delete measured work.
#pragma once

namespace sysbench {

// The value must be computed and held in a register or memory at this point.
template <typename T>
inline void DoNotOptimize(T const& value) {
  asm volatile("" : : "r,m"(value) : "memory");
}

template <typename T>
inline void DoNotOptimize(T& value) {
#if defined(__clang__)
  asm volatile("" : "+r,m"(value) : : "memory");
#else
  asm volatile("" : "+m,r"(value) : : "memory");
#endif
}

// All pending writes to memory must happen before this point.
inline void ClobberMemory() { asm volatile("" : : : "memory"); }

}  // namespace sysbench
