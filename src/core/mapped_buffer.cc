#include "core/mapped_buffer.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <utility>

#include "sysbench/error.h"

namespace sysbench {
MappedBuffer::MappedBuffer(std::size_t bytes, HugePages huge) {
  map_bytes_ = bytes + kHugePageBytes;
  void* map = mmap(nullptr, map_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (map == MAP_FAILED) {
    throw SystemError("mmap of " + std::to_string(bytes) + " bytes", errno);
  }
  map_ = map;
  const auto address = reinterpret_cast<std::uintptr_t>(map);
  const std::uintptr_t aligned =
      (address + kHugePageBytes - 1) & ~(std::uintptr_t{kHugePageBytes} - 1);
  data_ = static_cast<char*>(map) + (aligned - address);
  bytes_ = bytes;
  if (huge == HugePages::kOn) {
    madvise(map_, map_bytes_, MADV_HUGEPAGE);  // advice only: the result is checked by HugeBytes
  } else if (huge == HugePages::kOff) {
    madvise(map_, map_bytes_, MADV_NOHUGEPAGE);
  }
}

MappedBuffer::~MappedBuffer() { Release(); }

MappedBuffer::MappedBuffer(MappedBuffer&& other) noexcept
    : map_(std::exchange(other.map_, nullptr)),
      map_bytes_(std::exchange(other.map_bytes_, 0)),
      data_(std::exchange(other.data_, nullptr)),
      bytes_(std::exchange(other.bytes_, 0)) {}

MappedBuffer& MappedBuffer::operator=(MappedBuffer&& other) noexcept {
  if (this != &other) {
    Release();
    map_ = std::exchange(other.map_, nullptr);
    map_bytes_ = std::exchange(other.map_bytes_, 0);
    data_ = std::exchange(other.data_, nullptr);
    bytes_ = std::exchange(other.bytes_, 0);
  }
  return *this;
}

void MappedBuffer::Release() {
  if (map_ != nullptr) munmap(map_, map_bytes_);
  map_ = nullptr;
  data_ = nullptr;
  map_bytes_ = bytes_ = 0;
}

std::int64_t MappedBuffer::HugeBytes() const {
  std::ifstream smaps("/proc/self/smaps");
  if (!smaps) return -1;
  const auto start = reinterpret_cast<std::uintptr_t>(map_);
  const std::uintptr_t end = start + map_bytes_;
  std::string line;
  bool inside = false;
  bool found = false;
  std::int64_t total = 0;
  while (std::getline(smaps, line)) {
    unsigned long lo = 0, hi = 0;
    if (std::sscanf(line.c_str(), "%lx-%lx ", &lo, &hi) == 2 && line.find(':') > line.find(' ')) {
      inside = lo < end && hi > start;
      continue;
    }
    if (inside && line.rfind("AnonHugePages:", 0) == 0) {
      std::istringstream in(line.substr(14));
      std::int64_t kib = 0;
      in >> kib;
      total += kib * 1024;
      found = true;
    }
  }
  return found ? total : -1;
}

std::string BracketedWord(const std::string& text) {
  const auto open = text.find('[');
  const auto close = text.find(']', open == std::string::npos ? 0 : open);
  if (open == std::string::npos || close == std::string::npos) return "";
  return text.substr(open + 1, close - open - 1);
}

std::string TransparentHugePageMode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string line;
  if (!std::getline(in, line)) return "";
  return BracketedWord(line);
}

}  // namespace sysbench
