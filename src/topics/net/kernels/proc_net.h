// Pure parsers for `sysbench net exposure`: the lines of /proc/net/{tcp,tcp6,udp,udp6} and the
// classification of a bound address (wildcard, loopback, one address). No I/O, so fuzz/ and the
// tests can feed them any text.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace sysbench::kernels {

struct ProcSocket {
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // network byte order; IPv4 in the first 4 bytes
  std::uint16_t port = 0;
  std::uint8_t state = 0;  // TCP_LISTEN is 0x0a; an unconnected UDP socket shows 0x07
  std::uint32_t uid = 0;
  std::uint64_t inode = 0;
};

constexpr std::uint8_t kTcpListen = 0x0a;
constexpr std::uint8_t kUdpUnconnected = 0x07;

// One data line ("  0: 0100007F:1CEE 00000000:0000 0A ... uid timeout inode ..."); false for the
// header line and for anything malformed. `ipv6` says which file the line came from.
bool ParseProcNetLine(std::string_view line, bool ipv6, ProcSocket* out);

enum class BindScope : std::uint8_t {
  kLoopback,  // 127.0.0.0/8, ::1, ::ffff:127.0.0.0/104
  kWildcard,  // 0.0.0.0, ::, ::ffff:0.0.0.0: every interface of the family
  kAddress,   // one address, reachable where an interface holds it
};

BindScope ClassifyAddress(bool ipv6, const std::array<std::uint8_t, 16>& address);

// An IPv6 address of the form ::ffff:a.b.c.d (an IPv4 peer on a dual-stack socket).
bool IsV4Mapped(const std::array<std::uint8_t, 16>& address);

}  // namespace sysbench::kernels
