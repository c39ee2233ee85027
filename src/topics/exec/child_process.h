// Runs a program as a child with its output captured, bounded in time and in bytes, for the
// CPython way of `sysbench exec`. The child gets its own process group, so that a timeout kills
// what it forked as well; stdin is /dev/null.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace sysbench {

struct ChildOutput {
  bool timed_out = false;
  int exit_code = -1;  // -1 when a signal ended it
  std::string out;     // at most max_bytes of each stream are kept
  std::string err;
  double seconds = 0;  // spawn to reaped exit, on the steady clock
};

// Throws RuntimeError when the program cannot be started.
ChildOutput RunChild(const std::vector<std::string>& argv, double timeout_seconds,
                     std::size_t max_bytes = 1 << 20);

// The path of `name` on $PATH (or `name` itself when it holds a '/'), "" when it is not there
// or not executable.
std::string FindProgram(const std::string& name);

}  // namespace sysbench
