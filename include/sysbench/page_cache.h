// The page cache seen from one file: which pages are resident (mincore) and dropping them
// (posix_fadvise DONTNEED). Shared by the mmap and disk topics.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace sysbench {

// Number of entries of a mincore() vector whose resident bit (bit 0) is set.
std::uint64_t CountResident(const unsigned char* vec, std::size_t entries);
// Percentage of `pages` pages resident: 100 * resident / pages (0 when pages is 0).
double ResidentPercent(std::uint64_t resident, std::uint64_t pages);
// Resident pages of the page-aligned range [addr, addr + bytes), by mincore().
std::uint64_t ResidentPages(const void* addr, std::size_t bytes);
// Percentage of the first `bytes` of the file that is in the page cache (maps it, mincore, unmaps;
// mapping alone loads nothing).
double FileResidentPercent(int fd, std::uint64_t bytes);
// posix_fadvise(POSIX_FADV_DONTNEED) over the first `bytes` of the file; SystemError naming `path`.
void DropFromPageCache(int fd, std::uint64_t bytes, const std::string& path);

}  // namespace sysbench
