// Docker's published ports, for `sysbench net exposure`: the containers' host ports and the host
// address each is published on, asked from the daemon's API socket (GET /containers/json) when it
// is readable. Read-only; bounded in time (2 s) and size (8 MiB).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sysbench::net {

struct PublishedPort {
  std::string container;  // its first name, or the short id
  std::string proto;      // "tcp", "udp"
  bool ipv6 = false;
  std::array<std::uint8_t, 16> address{};  // the host address (0.0.0.0 when Docker gives none)
  std::uint16_t port = 0;                  // on the host
};

// Empty with *why set when Docker could not be asked (no readable socket, no answer, bad JSON).
std::vector<PublishedPort> DockerPublishedPorts(const std::string& socket_path, std::string* why);

}  // namespace sysbench::net
