#include "topics/exec/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "sysbench/units.h"

extern char** environ;

namespace sysbench {
namespace {

// Closes what it still holds.
struct Pipe {
  int fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw SystemError("pipe", errno);
  }
  ~Pipe() {
    CloseEnd(0);
    CloseEnd(1);
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void CloseEnd(int end) {
    if (fd[end] >= 0) close(fd[end]);
    fd[end] = -1;
  }
};

class SpawnSetup {
 public:
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions_);
    posix_spawnattr_init(&attr_);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions_);
    posix_spawnattr_destroy(&attr_);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
  posix_spawn_file_actions_t actions_;
  posix_spawnattr_t attr_;
};

// Waits for the child until the deadline, then kills its group and waits for good.
int WaitUntil(pid_t pid, SteadyClock::time_point start, double timeout_seconds, bool* timed_out) {
  int status = 0;
  for (;;) {
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno != EINTR)) return status;
    if (*timed_out || SecondsBetween(start, SteadyClock::now()) > timeout_seconds) break;
    usleep(1000);
  }
  *timed_out = true;
  kill(-pid, SIGKILL);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

// Starts argv[0] in a process group of its own with the given descriptors as its stdin (-1:
// /dev/null), stdout and stderr.
pid_t Spawn(const std::vector<std::string>& argv, int in, int out, int err) {
  if (argv.empty()) throw RuntimeError("exec: no program to start");
  SpawnSetup setup;
  if (in < 0) {
    posix_spawn_file_actions_addopen(&setup.actions_, 0, "/dev/null", O_RDONLY, 0);
  } else {
    posix_spawn_file_actions_adddup2(&setup.actions_, in, 0);
  }
  posix_spawn_file_actions_adddup2(&setup.actions_, out, 1);
  posix_spawn_file_actions_adddup2(&setup.actions_, err, 2);
  posix_spawnattr_setpgroup(&setup.attr_, 0);
  posix_spawnattr_setflags(&setup.attr_, POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &setup.actions_, &setup.attr_, args.data(), environ);
  if (rc != 0) throw SystemError("cannot start " + argv[0], rc);
  return pid;
}

}  // namespace

ChildOutput RunChild(const std::vector<std::string>& argv, double timeout_seconds,
                     std::size_t max_bytes) {
  Pipe out, err;
  ChildOutput result;
  const auto start = SteadyClock::now();
  const pid_t pid = Spawn(argv, -1, out.fd[1], err.fd[1]);
  out.CloseEnd(1);
  err.CloseEnd(1);

  std::string* sinks[2] = {&result.out, &result.err};
  pollfd fds[2] = {{out.fd[0], POLLIN, 0}, {err.fd[0], POLLIN, 0}};
  int open_streams = 2;
  char buffer[4096];
  while (open_streams > 0) {
    const double left = timeout_seconds - SecondsBetween(start, SteadyClock::now());
    if (left <= 0) {
      result.timed_out = true;
      break;
    }
    const int ready = poll(fds, 2, static_cast<int>(left * 1000) + 1);
    if (ready < 0 && errno != EINTR) break;
    for (int s = 0; s < 2 && ready > 0; ++s) {
      if (fds[s].fd < 0 || fds[s].revents == 0) continue;
      const ssize_t n = read(fds[s].fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        fds[s].fd = -1;  // poll ignores negative descriptors; the Pipe closes it
        --open_streams;
        continue;
      }
      std::string& sink = *sinks[s];
      const std::size_t room = max_bytes > sink.size() ? max_bytes - sink.size() : 0;
      sink.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    }
  }
  const int status = WaitUntil(pid, start, timeout_seconds, &result.timed_out);
  // Whatever the child forked goes too when it ran out of time.
  if (result.timed_out) kill(-pid, SIGKILL);
  result.seconds = SecondsBetween(start, SteadyClock::now());
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ChildSession::ChildSession(const std::vector<std::string>& argv, double timeout_seconds,
                           std::size_t max_err_bytes)
    : max_err_bytes_(max_err_bytes), timeout_seconds_(timeout_seconds) {
  // A socket for stdin, so that writing to a child that is gone is an error, not a SIGPIPE.
  int in[2] = {-1, -1};
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) != 0) {
    throw SystemError("socketpair", errno);
  }
  Pipe out, err;
  try {
    pid_ = Spawn(argv, in[1], out.fd[1], err.fd[1]);
  } catch (...) {
    close(in[0]);
    close(in[1]);
    throw;
  }
  close(in[1]);
  in_ = in[0];
  out_ = out.fd[0];
  err_fd_ = err.fd[0];
  out.fd[0] = err.fd[0] = -1;  // kept open here; the Pipes close the child's ends
}

ChildSession::~ChildSession() {
  if (!reaped_) {
    kill(-pid_, SIGKILL);
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
  }
  for (int fd : {in_, out_, err_fd_}) {
    if (fd >= 0) close(fd);
  }
}

double ChildSession::SecondsLeft() const { return timeout_seconds_ - waited_seconds_; }

bool ChildSession::WriteLine(const std::string& line) {
  const std::string text = line + "\n";
  std::size_t done = 0;
  while (in_ >= 0 && done < text.size()) {
    const ssize_t n = send(in_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return in_ >= 0;
}

void ChildSession::Pump() {
  pollfd fds[2] = {{out_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
  const double left = SecondsLeft();
  if (left <= 0) return;
  const auto start = SteadyClock::now();
  const int ready = poll(fds, 2, static_cast<int>(left * 1000) + 1);
  waited_seconds_ += SecondsBetween(start, SteadyClock::now());
  if (ready <= 0) return;
  char buffer[4096];
  for (int s = 0; s < 2; ++s) {
    if (fds[s].fd < 0 || fds[s].revents == 0) continue;
    const ssize_t n = read(fds[s].fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    int& fd = s == 0 ? out_ : err_fd_;
    if (n <= 0) {
      close(fd);
      fd = -1;
    } else if (s == 0) {
      pending_.append(buffer, static_cast<std::size_t>(n));
    } else {
      const std::size_t room = max_err_bytes_ > err_.size() ? max_err_bytes_ - err_.size() : 0;
      err_.append(buffer, std::min(room, static_cast<std::size_t>(n)));
    }
  }
}

std::optional<std::string> ChildSession::ReadLine() {
  for (;;) {
    const std::size_t end = pending_.find('\n');
    if (end != std::string::npos) {
      std::string line = pending_.substr(0, end);
      pending_.erase(0, end + 1);
      return line;
    }
    if (out_ < 0) return std::nullopt;
    if (SecondsLeft() <= 0) {
      timed_out_ = true;
      kill(-pid_, SIGKILL);
      return std::nullopt;
    }
    Pump();
  }
}

int ChildSession::Finish() {
  if (reaped_) return exit_code_;
  if (in_ >= 0) close(in_);
  in_ = -1;
  while ((out_ >= 0 || err_fd_ >= 0) && SecondsLeft() > 0) Pump();
  const int status = WaitUntil(pid_, SteadyClock::now(), std::max(SecondsLeft(), 0.0), &timed_out_);
  if (timed_out_) kill(-pid_, SIGKILL);
  reaped_ = true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return exit_code_;
}

std::string FindProgram(const std::string& name) {
  if (name.empty()) return "";
  if (name.find('/') != std::string::npos) return access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  if (path == nullptr) return "";
  for (const std::string& dir : Split(path, ':')) {
    const std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

}  // namespace sysbench
