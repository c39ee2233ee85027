// Errors that end a run with exit code 2 and one "sysbench: ..." line on stderr.
#pragma once

#include <stdexcept>
#include <string>

namespace sysbench {

// Bad input from the user (an option value, a file): exit 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A failed system call or an unusable environment: exit 2 as well.
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Builds "WHAT: strerror(errno_value)".
RuntimeError SystemError(const std::string& what, int errno_value);

}  // namespace sysbench
