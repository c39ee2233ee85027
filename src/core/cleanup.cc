#include "sysbench/cleanup.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>

#include "sysbench/error.h"

namespace sysbench {
namespace {

// Fixed storage: the signal handler may only touch memory that exists before it runs.
constexpr std::size_t kMaxPaths = 16;
constexpr std::size_t kMaxPathLength = 4096;
std::array<std::array<char, kMaxPathLength>, kMaxPaths> g_paths{};
std::array<std::atomic<bool>, kMaxPaths> g_in_use{};

extern "C" void OnTerminatingSignal(int signal_number) {
  // Files first, then the (now empty) folders that held them: slots are not in creation order.
  for (std::size_t i = 0; i < kMaxPaths; ++i) {
    if (g_in_use[i].load()) unlink(g_paths[i].data());
  }
  // A registered directory goes once the files in it are gone (rmdir fails on files: harmless).
  for (std::size_t i = 0; i < kMaxPaths; ++i) {
    if (g_in_use[i].load()) rmdir(g_paths[i].data());
  }
  ::signal(signal_number, SIG_DFL);
  ::raise(signal_number);
}

}  // namespace

CleanupSignalBlock::CleanupSignalBlock() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&set, sig);
  pthread_sigmask(SIG_BLOCK, &set, &old_);
}

CleanupSignalBlock::~CleanupSignalBlock() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }

void InstallCleanupHandlers() {
  struct sigaction action {};
  action.sa_handler = OnTerminatingSignal;
  sigemptyset(&action.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &action, nullptr);
}

void RegisterForCleanup(const std::string& path) {
  if (path.size() >= kMaxPathLength) throw RuntimeError("path too long: " + path);
  for (std::size_t i = 0; i < kMaxPaths; ++i) {
    if (g_in_use[i].load()) continue;
    std::memcpy(g_paths[i].data(), path.c_str(), path.size() + 1);
    g_in_use[i].store(true);
    return;
  }
  throw RuntimeError("too many temporary files at once");
}

void UnregisterFromCleanup(const std::string& path) {
  for (std::size_t i = 0; i < kMaxPaths; ++i) {
    if (g_in_use[i].load() && path == g_paths[i].data()) {
      g_in_use[i].store(false);
      return;
    }
  }
}

TempFileGuard::TempFileGuard(std::string path) : path_(std::move(path)) {
  RegisterForCleanup(path_);
}

TempFileGuard::~TempFileGuard() {
  if (path_.empty()) return;
  if (unlink(path_.c_str()) != 0) rmdir(path_.c_str());
  UnregisterFromCleanup(path_);
}

void TempFileGuard::Release() {
  if (path_.empty()) return;
  UnregisterFromCleanup(path_);
  path_.clear();
}

}  // namespace sysbench
