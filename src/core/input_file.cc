#include "core/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

// Closes the descriptor on every path out of ReadInputFile.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() { close(fd_); }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;

 private:
  int fd_;
};

UsageError CannotRead(const std::string& path, const std::string& reason) {
  return UsageError("cannot read '" + path + "': " + reason);
}

}  // namespace

std::string ReadInputFile(const std::string& path, std::uint64_t max_bytes) {
  if (path.empty()) throw UsageError("cannot read '': the file name is empty");
  // O_NONBLOCK: opening a fifo with no writer must not wait; the type check below rejects it.
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) throw CannotRead(path, std::strerror(errno));
  const FdCloser closer(fd);
  struct stat st {};
  if (fstat(fd, &st) != 0) throw CannotRead(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw CannotRead(path, "it is a directory");
  if (!S_ISREG(st.st_mode)) {
    throw CannotRead(path, "not a regular file (a device, fifo or socket)");
  }
  const std::string limit = FormatBytes(static_cast<double>(max_bytes));
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    throw CannotRead(path, FormatBytes(static_cast<double>(st.st_size)) +
                               ", more than the limit of " + limit + " for files sysbench reads");
  }
  // Reads to the end, not just st_size bytes (the file may be growing), but never past the limit.
  const auto too_big = [&] {
    return CannotRead(path, "grew past the limit of " + limit + " for files sysbench reads");
  };
  std::string text(static_cast<std::size_t>(st.st_size) + 1, '\0');
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (used > max_bytes) throw too_big();
      text.resize(static_cast<std::size_t>(
          std::min<std::uint64_t>(max_bytes + 1, std::max<std::uint64_t>(4096, used * 2))));
    }
    const ssize_t n = read(fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw CannotRead(path, std::strerror(errno));
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) throw too_big();
  text.resize(used);
  return text;
}

}  // namespace sysbench
