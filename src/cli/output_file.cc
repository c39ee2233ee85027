#include "cli/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <vector>

#include "sysbench/error.h"

namespace sysbench {
namespace {

std::string CreateTemp(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
    throw UsageError("cannot write output file '" + path + "': it is a directory");
  }
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : path.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) throw UsageError("cannot write output file '" + path + "': no file name");
  std::string name = dir + "." + base + ".tmp.XXXXXX";
  std::vector<char> buffer(name.begin(), name.end());
  buffer.push_back('\0');
  const int fd = mkstemp(buffer.data());
  if (fd < 0) {
    const int error = errno;
    throw UsageError(SystemError("cannot create output file '" + path + "'", error).what());
  }
  close(fd);
  return buffer.data();
}

// A character device or fifo (/dev/null, /dev/stdout on a pipe) is written in place: renaming a
// file over it would replace the device node (as root) instead of writing to it. Other kinds of
// file that are not regular (block devices, sockets) are refused.
bool WrittenInPlace(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)) return false;
  if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return true;
  throw UsageError("cannot write output file '" + path + "': not a regular file");
}

}  // namespace

OutputFile::OutputFile(const std::string& path)
    : path_(path),
      in_place_(WrittenInPlace(path)),
      temp_(in_place_ ? TempFileGuard() : TempFileGuard(CreateTemp(path))) {
  stream_.open(in_place_ ? path_ : temp_.Path(), std::ios::out | std::ios::trunc);
  if (!stream_) throw UsageError("cannot write output file '" + path + "'");
}

void OutputFile::Commit() {
  stream_.flush();
  const bool ok = static_cast<bool>(stream_);
  stream_.close();
  if (!ok || stream_.fail()) throw RuntimeError("writing output file '" + path_ + "' failed");
  if (in_place_) return;
  // mkstemp made the file 0600; give it the usual permissions for a new file.
  const mode_t mask = umask(0);
  umask(mask);
  chmod(temp_.Path().c_str(), 0666 & ~mask);
  if (std::rename(temp_.Path().c_str(), path_.c_str()) != 0) {
    throw SystemError("cannot rename output into '" + path_ + "'", errno);
  }
  temp_.Release();
}

}  // namespace sysbench
