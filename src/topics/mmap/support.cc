#include "topics/mmap/support.h"

#include <fcntl.h>
#include <linux/magic.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/mmap/kernels/mmap_kernels.h"

namespace sysbench::mmap_support {
namespace {

// Free space left over after the file is written, so the run never fills the disk.
constexpr std::uint64_t kFreeSpaceReserve = std::uint64_t{64} << 20;
constexpr std::size_t kWriteChunk = std::size_t{1} << 20;

std::uint64_t U(long value) { return value > 0 ? static_cast<std::uint64_t>(value) : 0; }

}  // namespace

std::size_t PageSize() {
  static const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

std::uint64_t RssBytes() {
  std::ifstream in("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (!(in >> size >> resident)) return 0;
  return resident * PageSize();
}

std::uint64_t AnonHugePageBytes() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("AnonHugePages:", 0) == 0) {
      std::istringstream fields(line.substr(14));
      std::uint64_t kib = 0;
      fields >> kib;
      return kib * 1024;
    }
  }
  return 0;
}

Faults FaultsNow() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return Faults{U(usage.ru_minflt), U(usage.ru_majflt)};
}

Faults FaultsSince(const Faults& before) {
  const Faults now = FaultsNow();
  return Faults{now.minor - before.minor, now.major - before.major};
}

bool OnMemoryFilesystem(const std::string& path, std::string* fs_name) {
  struct statfs info {};
  if (statfs(path.c_str(), &info) != 0) return false;
  const auto type = static_cast<unsigned long>(info.f_type);
  if (type == static_cast<unsigned long>(TMPFS_MAGIC)) {
    if (fs_name) *fs_name = "tmpfs";
    return true;
  }
  if (type == static_cast<unsigned long>(RAMFS_MAGIC)) {
    if (fs_name) *fs_name = "ramfs";
    return true;
  }
  return false;
}

Mapping::~Mapping() { Unmap(); }

void Mapping::Unmap() {
  if (addr_ != nullptr) munmap(addr_, bytes_);
  addr_ = nullptr;
}

std::unique_ptr<Mapping> Map(std::size_t bytes, int prot, int flags, int fd,
                             const std::string& what) {
  void* addr = mmap(nullptr, bytes, prot, flags, fd, 0);
  if (addr == MAP_FAILED)
    throw SystemError(what + " (" + FormatBytes(static_cast<double>(bytes)) + ")", errno);
  return std::make_unique<Mapping>(addr, bytes);
}

std::uint64_t FreeBytes(const std::string& dir) {
  struct statvfs info {};
  if (statvfs(dir.c_str(), &info) != 0) throw SystemError("statvfs '" + dir + "'", errno);
  return static_cast<std::uint64_t>(info.f_bavail) * static_cast<std::uint64_t>(info.f_frsize);
}

void CheckDirectory(const std::string& dir, std::uint64_t bytes) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    throw UsageError("--dir '" + dir + "': " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) throw UsageError("--dir '" + dir + "': is not a directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    throw UsageError("--dir '" + dir + "': is not writable");
  }
  const std::uint64_t free_bytes = FreeBytes(dir);
  if (free_bytes < bytes + kFreeSpaceReserve) {
    throw UsageError("--dir '" + dir + "': " + FormatBytes(static_cast<double>(free_bytes)) +
                     " free, the test file needs " + FormatBytes(static_cast<double>(bytes)) +
                     " plus " + FormatBytes(static_cast<double>(kFreeSpaceReserve)) +
                     " to spare (use a smaller --file-size or another --dir)");
  }
}

std::unique_ptr<DataFile> DataFile::CreateTemporary(const std::string& dir, std::uint64_t bytes,
                                                    const WriteFn& write) {
  std::unique_ptr<DataFile> file(new DataFile());
  std::string path = dir + (dir.empty() || dir.back() == '/' ? "" : "/") + "sysbench-mmap-XXXXXX";
  {
    const CleanupSignalBlock block;
    const int fd = mkostemp(path.data(), O_CLOEXEC);
    if (fd < 0) throw SystemError("create a temporary file in '" + dir + "'", errno);
    file->fd_ = fd;
    file->path_ = path;
    file->guard_ = std::make_unique<TempFileGuard>(path);
  }
  std::vector<std::uint64_t> chunk(kWriteChunk / sizeof(std::uint64_t));
  std::uint64_t state = static_cast<std::uint64_t>(SteadyClock::now().time_since_epoch().count()) ^
                        (static_cast<std::uint64_t>(getpid()) << 32);
  std::uint64_t left = bytes;
  while (left > 0) {
    kernels::FillRandom(chunk.data(), chunk.size(), state);
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, kWriteChunk));
    const auto* data = reinterpret_cast<const unsigned char*>(chunk.data());
    std::size_t done = 0;
    while (done < want) {
      const ssize_t n = write ? write(file->fd_, data + done, want - done)
                              : ::write(file->fd_, data + done, want - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("write '" + path + "'", errno);
      if (n == 0) throw SystemError("write '" + path + "'", ENOSPC);
      done += static_cast<std::size_t>(n);
    }
    left -= want;
  }
  if (fdatasync(file->fd_) != 0) throw SystemError("fdatasync '" + path + "'", errno);
  file->bytes_ = bytes;
  return file;
}

std::unique_ptr<DataFile> DataFile::OpenExisting(const std::string& path, std::uint64_t wanted) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw UsageError("--file '" + path + "': " + std::strerror(errno));
  std::unique_ptr<DataFile> file(new DataFile());
  file->fd_ = fd;
  file->path_ = path;
  struct stat st {};
  if (fstat(fd, &st) != 0) throw SystemError("fstat '" + path + "'", errno);
  if (S_ISDIR(st.st_mode)) throw UsageError("--file '" + path + "': is a directory");
  if (!S_ISREG(st.st_mode)) {
    throw UsageError("--file '" + path + "': is not a regular file (a device, pipe or socket)");
  }
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (size == 0) throw UsageError("--file '" + path + "': is empty");
  if (wanted > size) {
    throw UsageError("--file '" + path + "': has " + std::to_string(size) +
                     " bytes, fewer than --file-size asks for (" + std::to_string(wanted) + ")");
  }
  file->bytes_ = wanted > 0 ? wanted : size;
  return file;
}

DataFile::~DataFile() {
  if (fd_ >= 0) close(fd_);
  // guard_ (declared first) is destroyed after this body: it unlinks the temporary file.
}

}  // namespace sysbench::mmap_support
