// Where `sysbench disk` reads and writes: a temporary file it creates (in --dir, or in a fresh
// folder in the current directory) and removes on success, error and SIGINT/SIGTERM; or, only
// with --device PATH and --i-know-this-erases-data, a block device (or an existing file, such as
// one fio measures too) whose first --size bytes are overwritten and which is left in place.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sysbench/cleanup.h"
#include "topics/disk/facts.h"

namespace sysbench::disk {

// A file descriptor closed by the destructor.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int Get() const { return fd_; }
  bool Valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

struct TargetOptions {
  std::string dir;     // empty: a fresh folder in the current directory
  std::string device;  // a block device node or an existing file to overwrite; needs erase_ok
  bool erase_ok = false;
  std::uint64_t bytes = 0;  // size of the test file (or of the region of the device)
};

// Free space to leave on the filesystem after the test file: 64 MiB plus a tenth of the file.
std::uint64_t FreeSpaceMargin(std::uint64_t file_bytes);

// Checks what can be checked before anything is created (UsageError naming the option): the
// folder exists, is a folder, is writable and has room for the file plus the margin; a device is
// a block device, is not mounted and --i-know-this-erases-data was given. Returns its facts.
StorageFacts CheckTarget(const TargetOptions& options);

class DiskTarget {
 public:
  // Creates and fills the test file with random data (or opens the device); the file is flushed
  // to the disk and dropped from the page cache before this returns.
  static std::unique_ptr<DiskTarget> Create(const TargetOptions& options, StorageFacts facts);
  ~DiskTarget();
  DiskTarget(const DiskTarget&) = delete;
  DiskTarget& operator=(const DiskTarget&) = delete;

  const std::string& Path() const { return path_; }
  std::uint64_t Bytes() const { return bytes_; }
  bool IsDevice() const { return device_; }
  const StorageFacts& Facts() const { return facts_; }
  // Another descriptor on the file: O_RDWR | O_CLOEXEC | extra (O_DIRECT, O_DSYNC); an invalid
  // Fd with errno set when the filesystem refuses the flags.
  Fd Open(int extra_flags) const;

 private:
  DiskTarget() = default;
  void Fill();
  // Declared in creation order, destroyed in reverse: the file goes before its folder.
  std::unique_ptr<TempFileGuard> folder_guard_;
  std::unique_ptr<TempFileGuard> file_guard_;
  std::string path_;
  std::uint64_t bytes_ = 0;
  bool device_ = false;
  StorageFacts facts_;
};

}  // namespace sysbench::disk
