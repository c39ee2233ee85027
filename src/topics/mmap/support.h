// System facts and file handling for `sysbench mmap`: RSS, fault counts, page-cache residency
// (mincore), the temporary data file (removed on success, error and signals), the user's file
// (read-only), free space and tmpfs checks.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sysbench/cleanup.h"
#include "sysbench/page_cache.h"

namespace sysbench::mmap_support {

std::size_t PageSize();

// Resident set size of this process (/proc/self/statm, resident pages x page size).
std::uint64_t RssBytes();
// AnonHugePages of this process (/proc/self/smaps_rollup), 0 when unknown.
std::uint64_t AnonHugePageBytes();

struct Faults {
  std::uint64_t minor = 0;
  std::uint64_t major = 0;
};
// This process's fault counts so far (getrusage(RUSAGE_SELF) ru_minflt / ru_majflt).
Faults FaultsNow();
Faults FaultsSince(const Faults& before);

// The page-cache helpers moved to core (sysbench/page_cache.h, shared with disk); their old names.
using sysbench::CountResident;
using sysbench::DropFromPageCache;
using sysbench::FileResidentPercent;
using sysbench::ResidentPages;
using sysbench::ResidentPercent;

// True when `path` lives on tmpfs or ramfs (statfs f_type), where pages have no disk copy to fall
// back on, so a cold page cache cannot exist. `fs_name` gets "tmpfs"/"ramfs".
bool OnMemoryFilesystem(const std::string& path, std::string* fs_name = nullptr);

// A mapping removed by the destructor.
class Mapping {
 public:
  Mapping(void* addr, std::size_t bytes) : addr_(addr), bytes_(bytes) {}
  ~Mapping();
  Mapping(const Mapping&) = delete;
  Mapping& operator=(const Mapping&) = delete;
  unsigned char* Data() const { return static_cast<unsigned char*>(addr_); }
  std::size_t Bytes() const { return bytes_; }
  // munmap now (idempotent).
  void Unmap();

 private:
  void* addr_;
  std::size_t bytes_;
};

// mmap that throws SystemError naming `what` on failure.
std::unique_ptr<Mapping> Map(std::size_t bytes, int prot, int flags, int fd,
                             const std::string& what);

// Free bytes for an unprivileged writer in `dir` (statvfs f_bavail x f_frsize).
std::uint64_t FreeBytes(const std::string& dir);
// Throws UsageError naming --dir when `dir` is not an existing, writable directory, or has less
// than `bytes` plus a reserve free.
void CheckDirectory(const std::string& dir, std::uint64_t bytes);

using WriteFn = std::function<ssize_t(int fd, const void* data, std::size_t bytes)>;

// The file being measured: either a temporary file of random data created here (removed when this
// is destroyed, on error and on SIGINT/SIGTERM) or the user's file opened read-only.
class DataFile {
 public:
  // Creates `bytes` bytes of incompressible data in `dir`, written with `write` (injectable so
  // tests can make it fail), then fdatasync so the page cache can later drop the pages.
  static std::unique_ptr<DataFile> CreateTemporary(const std::string& dir, std::uint64_t bytes,
                                                   const WriteFn& write = nullptr);
  // Opens the user's file read-only; UsageError (naming --file) for a directory, a special file,
  // an empty file, or one smaller than `wanted` (0: use the whole file).
  static std::unique_ptr<DataFile> OpenExisting(const std::string& path, std::uint64_t wanted);

  ~DataFile();
  DataFile(const DataFile&) = delete;
  DataFile& operator=(const DataFile&) = delete;

  int Fd() const { return fd_; }
  std::uint64_t Bytes() const { return bytes_; }
  const std::string& Path() const { return path_; }
  bool Temporary() const { return guard_ != nullptr; }

 private:
  DataFile() = default;
  std::unique_ptr<TempFileGuard> guard_;
  std::string path_;
  int fd_ = -1;
  std::uint64_t bytes_ = 0;
};

}  // namespace sysbench::mmap_support
