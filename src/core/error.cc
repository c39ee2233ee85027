#include "sysbench/error.h"

#include <cstring>

namespace sysbench {

RuntimeError SystemError(const std::string& what, int errno_value) {
  return RuntimeError(what + ": " + std::strerror(errno_value));
}

}  // namespace sysbench
