// Files that must not outlive the run: removed on normal exit, on error, and on SIGINT/SIGTERM.
#pragma once

#include <string>

namespace sysbench {

// Installs SIGINT/SIGTERM handlers that unlink every registered path, then die of the signal.
void InstallCleanupHandlers();

// Registers a path for removal on a signal (files first, then directories that are empty by
// then); Unregister once the file is renamed or removed.
// At most 16 paths at a time (throws RuntimeError beyond).
void RegisterForCleanup(const std::string& path);
void UnregisterFromCleanup(const std::string& path);

// A file created by the caller that is removed when this goes out of scope unless Release()d.
class TempFileGuard {
 public:
  TempFileGuard() = default;
  explicit TempFileGuard(std::string path);
  ~TempFileGuard();
  TempFileGuard(const TempFileGuard&) = delete;
  TempFileGuard& operator=(const TempFileGuard&) = delete;

  const std::string& Path() const { return path_; }
  // Stop tracking (the file was renamed into place, or removed by its owner).
  void Release();

 private:
  std::string path_;
};

}  // namespace sysbench
