#include "sysbench/version.h"

#ifndef SYSBENCH_VERSION
#define SYSBENCH_VERSION "0.0.0"
#endif
#ifndef SYSBENCH_BUILD_TYPE
#define SYSBENCH_BUILD_TYPE "unknown"
#endif

namespace sysbench {

const char* Version() { return SYSBENCH_VERSION; }
const char* BuildType() { return SYSBENCH_BUILD_TYPE; }

bool OptimizedBuild() {
#if defined(__OPTIMIZE__) && defined(NDEBUG)
  return true;
#else
  return false;
#endif
}

}  // namespace sysbench
