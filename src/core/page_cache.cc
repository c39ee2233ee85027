#include "sysbench/page_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench {
namespace {

std::size_t PageBytes() {
  static const auto page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
  return page;
}

}  // namespace

std::uint64_t CountResident(const unsigned char* vec, std::size_t entries) {
  std::uint64_t resident = 0;
  for (std::size_t i = 0; i < entries; ++i) resident += vec[i] & 1u;
  return resident;
}

double ResidentPercent(std::uint64_t resident, std::uint64_t pages) {
  if (pages == 0) return 0.0;
  return 100.0 * static_cast<double>(resident) / static_cast<double>(pages);
}

std::uint64_t ResidentPages(const void* addr, std::size_t bytes) {
  const std::size_t pages = (bytes + PageBytes() - 1) / PageBytes();
  std::vector<unsigned char> vec(pages);
  if (mincore(const_cast<void*>(addr), bytes, vec.data()) != 0) {
    throw SystemError("mincore", errno);
  }
  return CountResident(vec.data(), vec.size());
}

double FileResidentPercent(int fd, std::uint64_t bytes) {
  const auto length = static_cast<std::size_t>(bytes);
  void* addr = mmap(nullptr, length, PROT_READ, MAP_SHARED, fd, 0);
  if (addr == MAP_FAILED) {
    throw SystemError("mmap for mincore (" + FormatBytes(static_cast<double>(bytes)) + ")", errno);
  }
  const std::uint64_t pages = (length + PageBytes() - 1) / PageBytes();
  std::uint64_t resident = 0;
  try {
    resident = ResidentPages(addr, length);
  } catch (...) {
    munmap(addr, length);
    throw;
  }
  munmap(addr, length);
  return ResidentPercent(resident, pages);
}

void DropFromPageCache(int fd, std::uint64_t bytes, const std::string& path) {
  const int rc = posix_fadvise(fd, 0, static_cast<off_t>(bytes), POSIX_FADV_DONTNEED);
  if (rc != 0) throw SystemError("posix_fadvise(DONTNEED) '" + path + "'", rc);
}

}  // namespace sysbench
