#include "topics/net/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>

#include <cerrno>
#include <cstring>
#include <string_view>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "topics/net/kernels/net_protocol.h"

namespace sysbench::net {
namespace {

namespace k = kernels;

constexpr std::size_t kMaxDropReasons = 8;
constexpr std::size_t kScratchBytes = 128 * 1024;
// A UDP phase ends this long after the last datagram (the client's end marker may be lost).
constexpr double kUdpIdleSeconds = 1.0;

bool SameHost(const Endpoint& a, const sockaddr_storage& b) {
  if (a.family != b.ss_family) return false;
  if (a.family == AF_INET6) {
    return std::memcmp(&reinterpret_cast<const sockaddr_in6*>(&a.addr)->sin6_addr,
                       &reinterpret_cast<const sockaddr_in6*>(&b)->sin6_addr,
                       sizeof(in6_addr)) == 0;
  }
  return reinterpret_cast<const sockaddr_in*>(&a.addr)->sin_addr.s_addr ==
         reinterpret_cast<const sockaddr_in*>(&b)->sin_addr.s_addr;
}

bool SendFrame(int fd, k::FrameType type, const std::uint8_t* payload, std::uint32_t length) {
  std::uint8_t header[k::kFrameHeaderBytes];
  k::WriteFrameHeader(type, length, header);
  if (length == 0) return SendAll(fd, header, sizeof(header));
  std::uint8_t small[k::kFrameHeaderBytes + 64];
  if (length <= 64) {
    std::memcpy(small, header, sizeof(header));
    std::memcpy(small + sizeof(header), payload, length);
    return SendAll(fd, small, sizeof(header) + length);
  }
  return SendAll(fd, header, sizeof(header)) && SendAll(fd, payload, length);
}

constexpr std::string_view kHttpResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
constexpr std::string_view kHttpBadRequest =
    "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
constexpr std::string_view kHttpTooLarge =
    "HTTP/1.1 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: "
    "close\r\n\r\n";

}  // namespace

Server::Server(ServerOptions options) : options_(std::move(options)), scratch_(kScratchBytes) {}

Server::~Server() = default;

Endpoint Server::Listen() {
  Endpoint local = ParseAddress(options_.bind, options_.port, "--bind");
  listen_ = BindSocket(local, SOCK_STREAM);
  if (::listen(listen_.Get(), 8) != 0) throw SystemError("listen", errno);
  const Endpoint bound = LocalEndpoint(listen_.Get());
  // UDP on the same port number when it is free, else on any free port (told to the client).
  Endpoint udp_local = bound;
  try {
    udp_ = BindSocket(udp_local, SOCK_DGRAM);
  } catch (const RuntimeError&) {
    udp_local.SetPort(0);
    udp_ = BindSocket(udp_local, SOCK_DGRAM);
  }
  udp_port_ = LocalEndpoint(udp_.Get()).Port();
  SetBufferSizes(udp_.Get(), 4 << 20);
  SetTimeouts(udp_.Get(), 0.05);
  return bound;
}

ServerStats Server::Serve() {
  ServerStats stats;
  if (!listen_.Valid()) Listen();
  auto idle_since = SteadyClock::now();
  while (!stop_.load()) {
    if (options_.max_sessions > 0 && stats.sessions >= options_.max_sessions) break;
    if (SecondsBetween(idle_since, SteadyClock::now()) > options_.idle_timeout_s) break;
    if (!WaitReadable(listen_.Get(), 100)) continue;
    Endpoint peer;
    peer.length = sizeof(peer.addr);
    Fd conn(::accept4(listen_.Get(), peer.Addr(), &peer.length, SOCK_CLOEXEC));
    if (!conn.Valid()) continue;  // the peer left before accept; nothing to serve
    peer.family = peer.addr.ss_family;
    ++stats.sessions;
    std::string why;
    try {
      SetTimeouts(conn.Get(), options_.peer_timeout_s);
      SetNoDelay(conn.Get());
      why = ServeSession(conn.Get(), peer);
    } catch (const std::exception& e) {
      why = e.what();
    }
    if (!why.empty()) {
      ++stats.dropped;
      if (stats.drop_reasons.size() < kMaxDropReasons) stats.drop_reasons.push_back(why);
    }
    idle_since = SteadyClock::now();
  }
  return stats;
}

std::string Server::ServeSession(int fd, const Endpoint& peer) {
  Connection conn(fd, k::kFrameHeaderBytes + options_.max_frame);
  if (!conn.Fill()) return "silent or closed before the first byte";
  const std::uint8_t first = conn.Data()[0];
  if (first == 'S') return ServeFrames(conn, peer);
  if (first >= 'A' && first <= 'Z') return ServeHttp(conn);
  return "garbage: first byte is neither a frame nor an HTTP request";
}

std::string Server::ServeFrames(Connection& conn, const Endpoint& peer) {
  const int fd = conn.Fd();
  const auto start = SteadyClock::now();
  for (;;) {
    if (SecondsBetween(start, SteadyClock::now()) > options_.max_session_s) {
      return "session longer than the bound";
    }
    if (conn.Available() < k::kFrameHeaderBytes) {
      k::FrameHeader probe;
      const k::FrameStatus early =
          k::ParseFrameHeader(conn.Data(), conn.Available(), options_.max_frame, &probe);
      if (early != k::FrameStatus::kNeedMore) return k::ToString(early);
      if (conn.Available() == 0 &&
          !WaitReadable(fd, static_cast<int>(options_.peer_timeout_s * 1000))) {
        return "peer silent past the timeout";
      }
      if (!conn.Fill()) {
        return conn.Available() == 0 ? std::string() : std::string("connection ended mid-frame");
      }
      continue;
    }
    k::FrameHeader header;
    const k::FrameStatus status =
        k::ParseFrameHeader(conn.Data(), conn.Available(), options_.max_frame, &header);
    if (status != k::FrameStatus::kOk) return k::ToString(status);
    if (!conn.Need(k::kFrameHeaderBytes + header.length)) return "peer silent or gone mid-frame";
    const std::uint8_t* payload = conn.Data() + k::kFrameHeaderBytes;
    switch (header.type) {
      case k::FrameType::kEcho:
        // Header and payload are contiguous in the buffer: one send.
        if (!SendAll(fd, conn.Data(), k::kFrameHeaderBytes + header.length)) {
          return "peer gone during echo";
        }
        conn.Consume(k::kFrameHeaderBytes + header.length);
        break;
      case k::FrameType::kStream: {
        const std::uint64_t total = k::LoadBe64(payload);
        conn.Consume(k::kFrameHeaderBytes + header.length);
        if (total > options_.max_stream_bytes) return "stream longer than the bound";
        std::uint64_t left = total;
        const std::size_t buffered = conn.Available() < left ? conn.Available() : left;
        conn.Consume(buffered);
        left -= buffered;
        while (left > 0) {
          const std::size_t want = left < scratch_.size() ? left : scratch_.size();
          const ssize_t n = ::recv(fd, scratch_.data(), want, 0);
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) return "stream ended early or peer silent";
          left -= static_cast<std::uint64_t>(n);
        }
        std::uint8_t done[8];
        k::StoreBe64(total, done);
        if (!SendFrame(fd, k::FrameType::kStreamDone, done, 8)) return "peer gone after stream";
        break;
      }
      case k::FrameType::kUdpEcho:
      case k::FrameType::kUdpSink: {
        const std::uint64_t count = k::LoadBe64(payload);
        const std::uint32_t token = k::LoadBe32(payload + 8);
        const bool echo = header.type == k::FrameType::kUdpEcho;
        conn.Consume(k::kFrameHeaderBytes + header.length);
        if (count == 0 || count > options_.max_udp_count) return "UDP count outside the bound";
        // Drop datagrams left over from an earlier phase.
        std::uint8_t drain[64];
        while (::recv(udp_.Get(), drain, sizeof(drain), MSG_DONTWAIT) >= 0) {
        }
        std::uint8_t ready[2];
        k::StoreBe16(udp_port_, ready);
        if (!SendFrame(fd, k::FrameType::kUdpReady, ready, 2)) return "peer gone";
        const std::string why =
            echo ? UdpEcho(count, token, peer) : UdpSink(conn, count, token, peer);
        if (!why.empty()) return why;
        break;
      }
      case k::FrameType::kBye:
        return {};
      case k::FrameType::kStreamDone:
      case k::FrameType::kUdpReady:
      case k::FrameType::kUdpReport:
        return "server-only frame type sent by the client";
    }
  }
}

std::string Server::UdpEcho(std::uint64_t count, std::uint32_t token, const Endpoint& peer) {
  std::uint64_t echoed = 0;
  auto last = SteadyClock::now();
  const auto start = last;
  while (echoed < count) {
    const auto now = SteadyClock::now();
    if (SecondsBetween(last, now) > kUdpIdleSeconds ||
        SecondsBetween(start, now) > options_.max_session_s) {
      break;
    }
    sockaddr_storage from{};
    socklen_t from_length = sizeof(from);
    const ssize_t n = ::recvfrom(udp_.Get(), scratch_.data(), k::kMaxDatagramBytes, 0,
                                 reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0) continue;  // timeout: check the clocks again
    k::Datagram d;
    if (!k::ParseDatagram(scratch_.data(), static_cast<std::size_t>(n), &d) || d.token != token ||
        !SameHost(peer, from)) {
      continue;  // not ours: never answered
    }
    if (d.kind == k::DatagramKind::kEnd) break;
    ::sendto(udp_.Get(), scratch_.data(), static_cast<std::size_t>(n), MSG_NOSIGNAL,
             reinterpret_cast<const sockaddr*>(&from), from_length);
    ++echoed;
    last = SteadyClock::now();
  }
  return {};
}

std::string Server::UdpSink(Connection& conn, std::uint64_t count, std::uint32_t token,
                            const Endpoint& peer) {
  std::vector<std::uint64_t> seen((count + 63) / 64, 0);
  k::SequenceTracker tracker(count, seen.data());
  std::uint64_t bytes = 0;
  auto last = SteadyClock::now();
  const auto start = last;
  for (;;) {
    const auto now = SteadyClock::now();
    // Before the first datagram the client gets the full peer timeout to start.
    const double idle = tracker.Received() == 0 ? options_.peer_timeout_s : kUdpIdleSeconds;
    if (SecondsBetween(last, now) > idle || SecondsBetween(start, now) > options_.max_session_s) {
      break;
    }
    sockaddr_storage from{};
    socklen_t from_length = sizeof(from);
    const ssize_t n = ::recvfrom(udp_.Get(), scratch_.data(), k::kMaxDatagramBytes, 0,
                                 reinterpret_cast<sockaddr*>(&from), &from_length);
    if (n < 0) continue;
    k::Datagram d;
    if (!k::ParseDatagram(scratch_.data(), static_cast<std::size_t>(n), &d) || d.token != token ||
        !SameHost(peer, from)) {
      continue;
    }
    if (d.kind == k::DatagramKind::kEnd) break;
    tracker.Add(d.sequence);
    bytes += static_cast<std::uint64_t>(n);
    last = SteadyClock::now();
  }
  std::uint8_t report[40];
  k::StoreBe64(tracker.Received(), report);
  k::StoreBe64(tracker.Reordered(), report + 8);
  k::StoreBe64(tracker.Duplicates(), report + 16);
  k::StoreBe64(tracker.Invalid(), report + 24);
  k::StoreBe64(bytes, report + 32);
  if (!SendFrame(conn.Fd(), k::FrameType::kUdpReport, report, 40)) return "peer gone";
  return {};
}

std::string Server::ServeHttp(Connection& conn) {
  const int fd = conn.Fd();
  const auto start = SteadyClock::now();
  for (;;) {
    if (SecondsBetween(start, SteadyClock::now()) > options_.max_session_s) {
      return "session longer than the bound";
    }
    const std::string_view data(reinterpret_cast<const char*>(conn.Data()), conn.Available());
    k::HttpHead head;
    const k::HttpStatus status = k::ParseHttpRequest(data, options_.max_http_head, &head);
    if (status == k::HttpStatus::kNeedMore) {
      if (!conn.Fill()) {
        return conn.Available() == 0 ? std::string() : std::string("HTTP request cut short");
      }
      continue;
    }
    if (status == k::HttpStatus::kTooLarge) {
      SendAll(fd, kHttpTooLarge.data(), kHttpTooLarge.size());
      return "HTTP head larger than the bound";
    }
    if (status == k::HttpStatus::kBad) {
      SendAll(fd, kHttpBadRequest.data(), kHttpBadRequest.size());
      return "malformed HTTP request";
    }
    conn.Consume(head.head_bytes);
    if (!SendAll(fd, kHttpResponse.data(), kHttpResponse.size())) return "peer gone";
    if (head.close) return {};
  }
}

}  // namespace sysbench::net
