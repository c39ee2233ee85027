#include "topics/threads/process.h"

#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "topics/threads/kernels/threads_kernels.h"

extern char** environ;

namespace sysbench {
namespace {

// Closes the descriptors it holds (-1 is skipped).
struct FdPair {
  int fd[2] = {-1, -1};
  FdPair() {
    if (pipe2(fd, O_CLOEXEC) != 0) throw SystemError("pipe", errno);
  }
  ~FdPair() { CloseAll(); }
  FdPair(const FdPair&) = delete;
  FdPair& operator=(const FdPair&) = delete;
  void Close(int end) {
    if (fd[end] >= 0) close(fd[end]);
    fd[end] = -1;
  }
  void CloseAll() {
    Close(0);
    Close(1);
  }
};

pid_t WaitRetry(pid_t pid, int* status) {
  pid_t r;
  do {
    r = waitpid(pid, status, 0);
  } while (r < 0 && errno == EINTR);
  return r;
}

// Async-signal-safe full write/read of a small buffer.
bool WriteAll(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

ssize_t ReadSome(int fd, void* data, std::size_t size) {
  ssize_t n;
  do {
    n = read(fd, data, size);
  } while (n < 0 && errno == EINTR);
  return n;
}

cpu_set_t OneCpu(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(static_cast<std::size_t>(cpu), &set);
  return set;
}

void* NothingThread(void*) { return nullptr; }

}  // namespace

ChildReaper::~ChildReaper() {
  for (pid_t pid : pids_) {
    kill(pid, SIGKILL);
    int status = 0;
    WaitRetry(pid, &status);
  }
}

int ChildReaper::Wait(pid_t pid) {
  int status = 0;
  if (WaitRetry(pid, &status) < 0) status = -1;
  std::erase(pids_, pid);
  return status;
}

void ChildReaper::WaitAllOk(const std::string& what) {
  bool ok = true;
  while (!pids_.empty()) {
    const int status = Wait(pids_.front());
    ok = ok && status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  }
  if (!ok) throw RuntimeError(what + ": a child process failed");
}

double ForkJobs(const std::vector<std::uint64_t>& per_worker, const std::vector<int>& cpus,
                std::uint64_t* checksum) {
  ChildReaper reaper;
  FdPair results;
  std::vector<cpu_set_t> sets;
  for (std::size_t i = 0; i < per_worker.size(); ++i) {
    sets.push_back(OneCpu(cpus.empty() ? 0 : cpus[i % cpus.size()]));
  }
  const auto start = SteadyClock::now();
  for (std::size_t i = 0; i < per_worker.size(); ++i) {
    const pid_t pid = fork();
    if (pid < 0) throw SystemError("fork", errno);
    if (pid == 0) {
      // Child: async-signal-safe work only.
      if (!cpus.empty()) sched_setaffinity(0, sizeof(cpu_set_t), &sets[i]);
      const std::uint64_t value = kernels::CpuJob(per_worker[i], i + 1);
      _exit(WriteAll(results.fd[1], &value, sizeof value) ? 0 : 1);
    }
    reaper.Add(pid);
  }
  results.Close(1);
  std::uint64_t sum = 0;
  std::size_t got = 0;
  std::uint64_t value = 0;
  std::size_t have = 0;
  while (true) {
    const ssize_t n =
        ReadSome(results.fd[0], reinterpret_cast<char*>(&value) + have, sizeof value - have);
    if (n < 0) throw SystemError("read 'worker pipe'", errno);
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
    if (have == sizeof value) {
      sum ^= value;
      ++got;
      have = 0;
    }
  }
  reaper.WaitAllOk("fork workers");
  const double seconds = SecondsBetween(start, SteadyClock::now());
  if (got != per_worker.size()) throw RuntimeError("fork workers: a result is missing");
  *checksum = sum;
  return seconds;
}

double ThreadCreateJoin(std::uint64_t iterations) {
  const auto start = SteadyClock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) {
    pthread_t thread;
    const int rc = pthread_create(&thread, nullptr, NothingThread, nullptr);
    if (rc != 0) throw SystemError("pthread_create", rc);
    pthread_join(thread, nullptr);
  }
  return SecondsBetween(start, SteadyClock::now());
}

double ForkWait(std::uint64_t iterations) {
  ChildReaper reaper;
  const auto start = SteadyClock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) {
    const pid_t pid = fork();
    if (pid < 0) throw SystemError("fork", errno);
    if (pid == 0) _exit(0);
    reaper.Add(pid);
    reaper.WaitAllOk("fork");
  }
  return SecondsBetween(start, SteadyClock::now());
}

double SpawnWait(const std::string& program, std::uint64_t iterations) {
  ChildReaper reaper;
  std::string path = program;
  char* argv[] = {path.data(), nullptr};
  char* envp[] = {nullptr};
  const auto start = SteadyClock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) {
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, path.c_str(), nullptr, nullptr, argv, envp);
    if (rc != 0) throw SystemError("posix_spawn '" + program + "'", rc);
    reaper.Add(pid);
    reaper.WaitAllOk("posix_spawn '" + program + "'");
  }
  return SecondsBetween(start, SteadyClock::now());
}

PipePingPong::PipePingPong(bool use_process, int cpu) {
  if (pipe2(to_echo_, O_CLOEXEC) != 0) throw SystemError("pipe", errno);
  if (pipe2(from_echo_, O_CLOEXEC) != 0) {
    const int e = errno;
    Stop();
    throw SystemError("pipe", e);
  }
  saved_affinity_.emplace();
  const cpu_set_t set = OneCpu(cpu);
  pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  const int in = to_echo_[0];
  const int out = from_echo_[1];
  if (use_process) {
    child_ = fork();
    if (child_ < 0) {
      const int e = errno;
      Stop();
      throw SystemError("fork", e);
    }
    if (child_ == 0) {
      // Child: echo bytes until EOF (async-signal-safe work only; affinity is inherited).
      close(to_echo_[1]);  // else this child would hold its own input open and never see EOF
      close(from_echo_[0]);
      char byte = 0;
      while (ReadSome(in, &byte, 1) == 1) {
        if (!WriteAll(out, &byte, 1)) _exit(1);
      }
      _exit(0);
    }
    reaper_.Add(child_);
  } else {
    try {
      echo_thread_ = std::thread([in, out, set] {
        pthread_setaffinity_np(pthread_self(), sizeof set, &set);
        char byte = 0;
        while (ReadSome(in, &byte, 1) == 1) {
          if (!WriteAll(out, &byte, 1)) return;
        }
      });
    } catch (...) {
      Stop();
      throw;
    }
  }
}

PipePingPong::~PipePingPong() { Stop(); }

void PipePingPong::Stop() {
  // Closing the write end gives the echo party EOF; then it ends and is joined or reaped.
  if (to_echo_[1] >= 0) close(to_echo_[1]);
  to_echo_[1] = -1;
  if (echo_thread_.joinable()) echo_thread_.join();
  if (child_ > 0) {
    reaper_.Wait(child_);
    child_ = -1;
  }
  for (int* fd : {&to_echo_[0], &from_echo_[0], &from_echo_[1]}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
  saved_affinity_.reset();  // sets the calling thread's CPUs back
}

double PipePingPong::RoundTrips(std::uint64_t iterations) {
  char byte = 1;
  const auto start = SteadyClock::now();
  for (std::uint64_t i = 0; i < iterations; ++i) {
    if (!WriteAll(to_echo_[1], &byte, 1)) throw SystemError("write 'pipe'", errno);
    if (ReadSome(from_echo_[0], &byte, 1) != 1) throw SystemError("read 'pipe'", errno);
  }
  return SecondsBetween(start, SteadyClock::now());
}

int ChildProcesses() {
  namespace fs = std::filesystem;
  const std::string self = std::to_string(getpid());
  int count = 0;
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || name[0] < '0' || name[0] > '9') continue;
    std::ifstream in(entry.path() / "stat");
    std::string line;
    if (!std::getline(in, line)) continue;
    // pid (comm) state ppid ...: comm may hold spaces, so parse after the last ')'.
    const std::size_t close_paren = line.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream rest(line.substr(close_paren + 1));
    std::string state, ppid;
    rest >> state >> ppid;
    if (ppid == self) ++count;
  }
  return count;
}

}  // namespace sysbench
