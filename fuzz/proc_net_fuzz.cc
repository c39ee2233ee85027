// libFuzzer target: `sysbench net exposure`'s /proc/net line parser and address classes on
// arbitrary text, line by line, as IPv4 and as IPv6 files.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "topics/net/kernels/proc_net.h"

namespace k = sysbench::kernels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    for (const bool ipv6 : {false, true}) {
      k::ProcSocket s;
      if (!k::ParseProcNetLine(line, ipv6, &s)) continue;
      if (s.ipv6 != ipv6) std::abort();
      if (!ipv6) {
        for (std::size_t i = 4; i < 16; ++i) {
          if (s.address[i] != 0) std::abort();
        }
      }
      (void)k::ClassifyAddress(ipv6, s.address);
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return 0;
}
