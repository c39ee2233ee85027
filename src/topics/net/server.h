// The `sysbench net` server: echoes frames, sinks streams, echoes and counts UDP datagrams and
// answers minimal HTTP/1.1 requests. One session at a time; every wait has a timeout, every frame
// length is checked against a bound, and a misbehaving peer is dropped, never trusted.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "topics/net/socket.h"

namespace sysbench::net {

inline constexpr std::uint16_t kDefaultPort = 7390;

class Connection;

struct ServerOptions {
  std::string bind = "127.0.0.1";
  std::uint16_t port = 0;              // 0: any free port
  int max_sessions = 16;               // sessions served before Serve returns; 0: no limit
  double idle_timeout_s = 60;          // Serve returns when no session starts for this long
  double peer_timeout_s = 5;           // a peer silent this long is dropped
  double max_session_s = 600;          // a session is ended after this long
  std::uint32_t max_frame = 1u << 20;  // largest echo payload accepted
  std::uint64_t max_stream_bytes = std::uint64_t{1} << 40;
  std::uint64_t max_udp_count = std::uint64_t{1} << 24;
  std::size_t max_http_head = 8192;
};

struct ServerStats {
  int sessions = 0;
  int dropped = 0;                        // sessions ended because the peer misbehaved
  std::vector<std::string> drop_reasons;  // the first few, for tests and the report
};

class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds TCP and UDP (the same port when free) and listens. Throws UsageError / RuntimeError.
  Endpoint Listen();
  std::uint16_t UdpPort() const { return udp_port_; }
  // Serves sessions one after another until max_sessions, the idle timeout or Stop().
  ServerStats Serve();
  // Asks Serve to return (from another thread); it notices within ~0.1 s between sessions.
  void Stop() { stop_.store(true); }

 private:
  // Returns an empty string for a clean end, else why the peer was dropped.
  std::string ServeSession(int fd, const Endpoint& peer);
  std::string ServeFrames(Connection& conn, const Endpoint& peer);
  std::string ServeHttp(Connection& conn);
  std::string UdpEcho(std::uint64_t count, std::uint32_t token, const Endpoint& peer);
  std::string UdpSink(Connection& conn, std::uint64_t count, std::uint32_t token,
                      const Endpoint& peer);

  ServerOptions options_;
  Fd listen_;
  Fd udp_;
  std::uint16_t udp_port_ = 0;
  std::atomic<bool> stop_{false};
  std::vector<std::uint8_t> scratch_;
};

}  // namespace sysbench::net
