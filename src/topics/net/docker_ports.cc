#include "topics/net/docker_ports.h"

#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

#include "sysbench/clock.h"
#include "topics/net/socket.h"

namespace sysbench::net {
namespace {

constexpr std::size_t kMaxDockerReply = 8 << 20;  // containers/json
constexpr double kDockerTimeout = 2.0;

// GET /containers/json over the Docker socket (HTTP/1.0: the reply ends when the daemon closes).
// Returns "" and sets *why when Docker cannot be asked.
std::string ContainersJson(const std::string& path, std::string* why) {
  if (access(path.c_str(), R_OK | W_OK) != 0) {
    *why = path + " is not readable (no Docker here, or this user is not in the docker group)";
    return "";
  }
  Fd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (!fd.Valid() || path.size() >= sizeof addr.sun_path) {
    *why = "cannot open a socket to " + path;
    return "";
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size());
  SetTimeouts(fd.Get(), kDockerTimeout);
  if (connect(fd.Get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    *why = "cannot connect to " + path + ": " + std::strerror(errno);
    return "";
  }
  const std::string request = "GET /containers/json HTTP/1.0\r\nHost: docker\r\n\r\n";
  if (!SendAll(fd.Get(), request.data(), request.size(), MSG_NOSIGNAL)) {
    *why = "Docker did not take the request";
    return "";
  }
  std::string reply;
  const auto start = SteadyClock::now();
  char buffer[65536];
  while (reply.size() < kMaxDockerReply &&
         SecondsBetween(start, SteadyClock::now()) < kDockerTimeout) {
    const ssize_t n = recv(fd.Get(), buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    reply.append(buffer, static_cast<std::size_t>(n));
  }
  const std::size_t body = reply.find("\r\n\r\n");
  if (reply.rfind("HTTP/1.", 0) != 0 || body == std::string::npos ||
      reply.find(" 200 ") > reply.find("\r\n")) {
    *why = "Docker answered something other than 200 OK";
    return "";
  }
  return reply.substr(body + 4);
}

void AddPorts(const std::string& body, std::vector<PublishedPort>& ports, std::string* why) {
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (!doc.is_array()) {
    *why = "Docker's container list did not parse";
    return;
  }
  for (const auto& c : doc) {
    std::string name = c.value("Id", std::string("?")).substr(0, 12);
    if (c.contains("Names") && c["Names"].is_array() && !c["Names"].empty() &&
        c["Names"][0].is_string()) {
      name = c["Names"][0].get<std::string>();
      if (!name.empty() && name[0] == '/') name.erase(0, 1);
    }
    if (!c.contains("Ports") || !c["Ports"].is_array()) continue;
    for (const auto& p : c["Ports"]) {
      if (!p.is_object() || !p.contains("PublicPort") || !p["PublicPort"].is_number_unsigned()) {
        continue;  // exposed inside Docker's network only, not published on the host
      }
      PublishedPort row;
      row.container = name;
      row.proto = p.value("Type", std::string("tcp"));
      row.port = static_cast<std::uint16_t>(p["PublicPort"].get<unsigned>());
      const std::string ip = p.value("IP", std::string("0.0.0.0"));
      row.ipv6 = ip.find(':') != std::string::npos;
      if (inet_pton(row.ipv6 ? AF_INET6 : AF_INET, ip.empty() ? "0.0.0.0" : ip.c_str(),
                    row.address.data()) != 1) {
        continue;
      }
      ports.push_back(row);
    }
  }
}

}  // namespace

std::vector<PublishedPort> DockerPublishedPorts(const std::string& socket_path, std::string* why) {
  std::vector<PublishedPort> ports;
  why->clear();
  const std::string body = ContainersJson(socket_path, why);
  if (why->empty()) AddPorts(body, ports, why);
  return ports;
}

}  // namespace sysbench::net
