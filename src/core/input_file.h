// Files sysbench reads because the user named them (baselines, saved runs, data sets): only
// regular files, and only up to a size limit, so /dev/zero, a fifo or a huge file cannot make a
// run read forever or exhaust memory.
#pragma once

#include <cstdint>
#include <string>

namespace sysbench {

// Far above any saved run (a full `all` run is well under 1 MiB), far below memory.
constexpr std::uint64_t kMaxInputFileBytes = std::uint64_t{64} << 20;

// The whole content of `path`. Throws UsageError "cannot read 'PATH': REASON" when it is missing or
// unreadable, is a directory, is not a regular file (a device, fifo or socket), or is larger than
// `max_bytes` (the reason names the limit).
std::string ReadInputFile(const std::string& path, std::uint64_t max_bytes = kMaxInputFileBytes);

}  // namespace sysbench
