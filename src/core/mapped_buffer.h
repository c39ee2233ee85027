// Anonymous memory for the memory commands (latency, bandwidth): 2 MiB-aligned, untouched until
// used (so the thread that first writes a page owns it), with transparent huge pages asked for or
// refused explicitly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sysbench {

// The x86-64 transparent huge page: buffers are aligned to it so the kernel can back them with one.
inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

enum class HugePages { kDefault, kOn, kOff };

class MappedBuffer {
 public:
  MappedBuffer() = default;
  // Throws SystemError when the kernel refuses the mapping.
  MappedBuffer(std::size_t bytes, HugePages huge);
  ~MappedBuffer();
  MappedBuffer(MappedBuffer&& other) noexcept;
  MappedBuffer& operator=(MappedBuffer&& other) noexcept;
  MappedBuffer(const MappedBuffer&) = delete;
  MappedBuffer& operator=(const MappedBuffer&) = delete;

  void* Data() const { return data_; }
  std::size_t Size() const { return bytes_; }
  // Bytes of this buffer now backed by transparent huge pages (from /proc/self/smaps), or -1 when
  // the kernel does not say.
  std::int64_t HugeBytes() const;

 private:
  void Release();
  void* map_ = nullptr;
  std::size_t map_bytes_ = 0;
  void* data_ = nullptr;
  std::size_t bytes_ = 0;
};

// The kernel's transparent huge page mode: "always", "madvise", "never", or "" when unknown.
std::string TransparentHugePageMode();
// Parses "always [madvise] never" -> "madvise" ("" when nothing is bracketed).
std::string BracketedWord(const std::string& text);

}  // namespace sysbench
