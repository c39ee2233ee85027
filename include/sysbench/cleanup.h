// Files and folders that must not outlive the run: removed on normal exit, on error, and on
// SIGINT/SIGTERM.
#pragma once

#include <signal.h>

#include <string>

namespace sysbench {

// Installs SIGINT/SIGTERM handlers that unlink every registered path, then die of the signal.
void InstallCleanupHandlers();

// Registers a path for removal on a signal (files first, then directories that are empty by
// then); Unregister once the file is renamed or removed.
// At most 16 paths at a time (throws RuntimeError beyond).
void RegisterForCleanup(const std::string& path);
void UnregisterFromCleanup(const std::string& path);

// Blocks the signals the cleanup handler catches while a temp file is created and registered, so
// no signal can land between the two and leave the file behind.
class CleanupSignalBlock {
 public:
  CleanupSignalBlock();
  ~CleanupSignalBlock();
  CleanupSignalBlock(const CleanupSignalBlock&) = delete;
  CleanupSignalBlock& operator=(const CleanupSignalBlock&) = delete;

 private:
  sigset_t old_;
};

// A file (or an empty folder) created by the caller that is removed when this goes out of scope
// unless Release()d. On a signal, registered files are removed before registered folders.
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
