// Runs a program as a child with its output captured, bounded in time and in bytes, for the
// CPython way of `sysbench exec`: to the end (RunChild, stdin /dev/null), or talked to line by line
// (ChildSession). The child gets its own process group, so that a timeout kills what it forked as
// well.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sysbench/clock.h"

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

// A child whose stdin takes lines and whose stdout gives lines. The time limit counts the time
// spent waiting for the child (not the time it waits for the next line): past it, or at the end,
// the child and its process group are killed.
class ChildSession {
 public:
  // Throws RuntimeError when the program cannot be started.
  ChildSession(const std::vector<std::string>& argv, double timeout_seconds,
               std::size_t max_err_bytes = 1 << 16);
  ~ChildSession();
  ChildSession(const ChildSession&) = delete;
  ChildSession& operator=(const ChildSession&) = delete;

  // False when the child no longer reads (gone); never raises SIGPIPE.
  bool WriteLine(const std::string& line);
  // The next line of stdout without its newline; nullopt at its end or past the time limit.
  std::optional<std::string> ReadLine();
  // Closes stdin and waits for the exit within the time limit: the exit code, -1 when a signal
  // (or the time limit) ended it.
  int Finish();
  bool TimedOut() const { return timed_out_; }
  const std::string& Err() const { return err_; }  // stderr so far (its first max_err_bytes)

 private:
  double SecondsLeft() const;
  // Reads what is ready on stdout and stderr, waiting at most for the time left.
  void Pump();

  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_fd_ = -1;
  bool timed_out_ = false, reaped_ = false;
  int exit_code_ = -1;
  std::string pending_, err_;
  std::size_t max_err_bytes_;
  double timeout_seconds_;
  double waited_seconds_ = 0;
};

// The path of `name` on $PATH (or `name` itself when it holds a '/'), "" when it is not there
// or not executable.
std::string FindProgram(const std::string& name);

}  // namespace sysbench
