#include "topics/exec/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

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

}  // namespace

ChildOutput RunChild(const std::vector<std::string>& argv, double timeout_seconds,
                     std::size_t max_bytes) {
  if (argv.empty()) throw RuntimeError("RunChild: no program");
  Pipe out, err;
  SpawnSetup setup;
  posix_spawn_file_actions_addopen(&setup.actions_, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&setup.actions_, out.fd[1], 1);
  posix_spawn_file_actions_adddup2(&setup.actions_, err.fd[1], 2);
  posix_spawnattr_setpgroup(&setup.attr_, 0);
  posix_spawnattr_setflags(&setup.attr_, POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  ChildOutput result;
  const auto start = SteadyClock::now();
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &setup.actions_, &setup.attr_, args.data(), environ);
  if (rc != 0) throw SystemError("cannot start " + argv[0], rc);
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
