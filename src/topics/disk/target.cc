#include "topics/disk/target.h"

#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/disk/kernels/disk_kernels.h"

namespace sysbench::disk {
namespace {

constexpr std::size_t kFillChunk = std::size_t{1} << 20;
// A disk that cannot write the test file in this long is too slow for the chosen --size.
constexpr double kFillTimeLimitSeconds = 120;

bool DeviceIsMounted(dev_t dev) {
  std::ifstream in("/proc/self/mountinfo");
  const std::string wanted = std::to_string(major(dev)) + ":" + std::to_string(minor(dev));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, major_minor;
    fields >> id >> parent >> major_minor;
    if (major_minor == wanted) return true;
  }
  return false;
}

StorageFacts CheckDevice(const TargetOptions& options) {
  if (!options.erase_ok) {
    throw UsageError("--device '" + options.device +
                     "': writing to a device destroys its data; add --i-know-this-erases-data");
  }
  if (!options.dir.empty()) throw UsageError("--device and --dir cannot be used together");
  struct stat st {};
  if (stat(options.device.c_str(), &st) != 0) {
    throw UsageError("--device '" + options.device + "': " + std::strerror(errno));
  }
  if (S_ISREG(st.st_mode)) {  // a file the user gives up, such as one fio measures too
    if (static_cast<std::uint64_t>(st.st_size) < options.bytes) {
      throw UsageError("--device '" + options.device + "': has " +
                       FormatBytes(static_cast<double>(st.st_size)) + ", less than --size");
    }
    return LookUpFolder(options.device);
  }
  if (!S_ISBLK(st.st_mode)) {
    throw UsageError("--device '" + options.device + "': is not a block device or a file");
  }
  if (DeviceIsMounted(st.st_rdev)) {
    throw UsageError("--device '" + options.device + "': is mounted");
  }
  return LookUpBlockDevice(options.device);
}

std::string FolderOf(const TargetOptions& options) {
  return options.dir.empty() ? std::filesystem::current_path().string() : options.dir;
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

std::uint64_t FreeSpaceMargin(std::uint64_t file_bytes) { return (64ULL << 20) + file_bytes / 10; }

StorageFacts CheckTarget(const TargetOptions& options) {
  if (!options.device.empty()) return CheckDevice(options);
  if (options.erase_ok) throw UsageError("--i-know-this-erases-data needs --device");
  const std::string option = options.dir.empty() ? "the current directory" : "--dir";
  const std::string dir = FolderOf(options);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) {
    throw UsageError(option + " '" + dir + "': " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) throw UsageError(option + " '" + dir + "': is not a directory");
  if (access(dir.c_str(), W_OK | X_OK) != 0) {
    throw UsageError(option + " '" + dir + "': is not writable");
  }
  struct statvfs info {};
  if (statvfs(dir.c_str(), &info) != 0) throw SystemError("statvfs '" + dir + "'", errno);
  const std::uint64_t free_bytes = static_cast<std::uint64_t>(info.f_bavail) * info.f_frsize;
  const std::uint64_t margin = FreeSpaceMargin(options.bytes);
  if (free_bytes < options.bytes + margin) {
    throw UsageError(option + " '" + dir + "': " + FormatBytes(static_cast<double>(free_bytes)) +
                     " free, the test file needs " +
                     FormatBytes(static_cast<double>(options.bytes)) + " plus " +
                     FormatBytes(static_cast<double>(margin)) +
                     " to spare (use a smaller --size or another --dir)");
  }
  return LookUpFolder(dir);
}

std::unique_ptr<DiskTarget> DiskTarget::Create(const TargetOptions& options, StorageFacts facts) {
  std::unique_ptr<DiskTarget> target(new DiskTarget());
  target->facts_ = std::move(facts);
  target->bytes_ = options.bytes;
  if (!options.device.empty()) {
    target->device_ = true;
    target->path_ = options.device;
    const Fd fd = target->Open(0);
    if (!fd.Valid()) throw SystemError("open '" + options.device + "'", errno);
    struct stat st {};
    if (fstat(fd.Get(), &st) != 0) throw SystemError("fstat '" + options.device + "'", errno);
    std::uint64_t device_bytes = static_cast<std::uint64_t>(st.st_size);
    if (S_ISBLK(st.st_mode) && ioctl(fd.Get(), BLKGETSIZE64, &device_bytes) != 0) {
      throw SystemError("BLKGETSIZE64 '" + options.device + "'", errno);
    }
    if (device_bytes < options.bytes) {
      throw UsageError("--size " + FormatBytes(static_cast<double>(options.bytes)) +
                       " is larger than the device (" +
                       FormatBytes(static_cast<double>(device_bytes)) + ")");
    }
    return target;
  }
  {
    const CleanupSignalBlock block;
    std::string file;
    if (options.dir.empty()) {
      std::string folder = (std::filesystem::current_path() / "sysbench-disk-XXXXXX").string();
      if (mkdtemp(folder.data()) == nullptr) {
        throw SystemError("create a folder in the current directory", errno);
      }
      target->folder_guard_ = std::make_unique<TempFileGuard>(folder);
      file = folder + "/testfile";
      const int fd = open(file.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) throw SystemError("create '" + file + "'", errno);
      close(fd);
    } else {
      file = options.dir + (options.dir.back() == '/' ? "" : "/") + "sysbench-disk-XXXXXX";
      const int fd = mkostemp(file.data(), O_CLOEXEC);
      if (fd < 0) throw SystemError("create a temporary file in '" + options.dir + "'", errno);
      close(fd);
    }
    target->file_guard_ = std::make_unique<TempFileGuard>(file);
    target->path_ = file;
  }
  target->Fill();
  return target;
}

DiskTarget::~DiskTarget() = default;

Fd DiskTarget::Open(int extra_flags) const {
  return Fd(open(path_.c_str(), O_RDWR | O_CLOEXEC | extra_flags));
}

void DiskTarget::Fill() {
  const Fd fd = Open(0);
  if (!fd.Valid()) throw SystemError("open '" + path_ + "'", errno);
  std::vector<unsigned char> chunk(kFillChunk);
  std::uint64_t state =
      static_cast<std::uint64_t>(SteadyClock::now().time_since_epoch().count()) | 1;
  const auto start = SteadyClock::now();
  for (std::uint64_t done = 0; done < bytes_;) {
    const std::size_t want =
        static_cast<std::size_t>(std::min<std::uint64_t>(bytes_ - done, kFillChunk));
    kernels::FillRandomBytes(chunk.data(), want, state);
    std::size_t written = 0;
    while (written < want) {
      const ssize_t n = pwrite(fd.Get(), chunk.data() + written, want - written,
                               static_cast<off_t>(done + written));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("write '" + path_ + "'", errno);
      if (n == 0) throw SystemError("write '" + path_ + "'", ENOSPC);
      written += static_cast<std::size_t>(n);
    }
    done += want;
    if (SecondsBetween(start, SteadyClock::now()) > kFillTimeLimitSeconds) {
      throw RuntimeError("writing the test file '" + path_ + "' took over " +
                         FormatHuman(kFillTimeLimitSeconds) + " s; use a smaller --size");
    }
  }
  if (fdatasync(fd.Get()) != 0) throw SystemError("fdatasync '" + path_ + "'", errno);
  posix_fadvise(fd.Get(), 0, static_cast<off_t>(bytes_), POSIX_FADV_DONTNEED);
}

}  // namespace sysbench::disk
