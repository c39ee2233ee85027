#include "topics/net/client.h"

#include <poll.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <string_view>
#include <thread>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "topics/net/kernels/net_protocol.h"

namespace sysbench::net {
namespace {

namespace k = kernels;

constexpr double kUdpReplyTimeout = 0.2;  // a UDP round trip slower than this counts as lost
constexpr std::size_t kMaxHttpHead = 8192;
constexpr std::uint64_t kMaxHttpBody = 1 << 20;
constexpr std::uint64_t kMaxUdpCount = std::uint64_t{1} << 24;

double Micros(SteadyClock::time_point a, SteadyClock::time_point b) {
  return std::chrono::duration<double, std::micro>(b - a).count();
}

void Expect(bool ok, const std::string& what) {
  if (!ok) throw RuntimeError("net client: " + what);
}

// Receives one frame of the expected type and exact payload length into `payload`.
void RecvControl(int fd, k::FrameType type, std::uint8_t* payload) {
  std::uint8_t header[k::kFrameHeaderBytes];
  Expect(RecvAll(fd, header, sizeof(header)), "no answer from the server (timeout or closed)");
  k::FrameHeader h;
  const k::FrameStatus status = k::ParseFrameHeader(header, sizeof(header), 1 << 20, &h);
  Expect(status == k::FrameStatus::kOk,
         std::string("bad frame from the server: ") + k::ToString(status));
  Expect(h.type == type, "unexpected frame type from the server");
  Expect(RecvAll(fd, payload, h.length), "server closed mid-frame");
}

void SendControl(int fd, k::FrameType type, const std::uint8_t* payload, std::uint32_t length) {
  std::uint8_t frame[k::kFrameHeaderBytes + 64];
  k::WriteFrameHeader(type, length, frame);
  std::memcpy(frame + k::kFrameHeaderBytes, payload, length);
  Expect(SendAll(fd, frame, k::kFrameHeaderBytes + length), "server closed the connection");
}

}  // namespace

Client::Client(const Endpoint& server, double timeout_s)
    : server_(server),
      timeout_s_(timeout_s),
      tcp_(ConnectTcp(server, timeout_s)),
      buffer_(k::kFrameHeaderBytes + (1u << 20)) {
  for (std::size_t i = 0; i < buffer_.size(); ++i) {
    buffer_[i] = static_cast<std::uint8_t>((i * 2654435761u) >> 13);
  }
  next_token_ = static_cast<std::uint32_t>(SteadyClock::now().time_since_epoch().count()) | 1u;
}

Client::~Client() = default;

std::vector<double> Client::TcpRtt(std::size_t payload, int warmup, int count, double max_seconds) {
  const int fd = tcp_.Get();
  std::vector<std::uint8_t> frame(k::kFrameHeaderBytes + payload);
  std::vector<std::uint8_t> reply(frame.size());
  k::WriteFrameHeader(k::FrameType::kEcho, static_cast<std::uint32_t>(payload), frame.data());
  std::memcpy(frame.data() + k::kFrameHeaderBytes, buffer_.data(), payload);
  std::vector<double> micros;
  micros.reserve(static_cast<std::size_t>(count));
  const auto start = SteadyClock::now();
  for (int i = 0; i < warmup + count; ++i) {
    if (i >= warmup && SecondsBetween(start, SteadyClock::now()) > max_seconds) break;
    const auto t0 = SteadyClock::now();
    Expect(SendAll(fd, frame.data(), frame.size()), "server closed the connection");
    Expect(RecvAll(fd, reply.data(), reply.size()), "no echo from the server (timeout or closed)");
    const auto t1 = SteadyClock::now();
    if (i >= warmup) micros.push_back(Micros(t0, t1));
  }
  Expect(std::memcmp(frame.data(), reply.data(), frame.size()) == 0,
         "the echo differs from what was sent");
  return micros;
}

std::uint16_t Client::StartUdp(bool echo, std::uint64_t count, std::uint32_t token) {
  std::uint8_t payload[12];
  k::StoreBe64(count, payload);
  k::StoreBe32(token, payload + 8);
  SendControl(tcp_.Get(), echo ? k::FrameType::kUdpEcho : k::FrameType::kUdpSink, payload, 12);
  std::uint8_t ready[2];
  RecvControl(tcp_.Get(), k::FrameType::kUdpReady, ready);
  return k::LoadBe16(ready);
}

int Client::UdpSocket(std::uint16_t port) {
  if (!udp_.Valid() || udp_connected_port_ != port) {
    udp_ = Fd(::socket(server_.family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!udp_.Valid()) throw SystemError("socket", errno);
    Endpoint remote = server_;
    remote.SetPort(port);
    if (::connect(udp_.Get(), remote.Addr(), remote.length) != 0) {
      throw SystemError("connect '" + remote.ToString() + "'", errno);
    }
    SetBufferSizes(udp_.Get(), 4 << 20);
    SetTimeouts(udp_.Get(), timeout_s_);
    udp_connected_port_ = port;
  }
  return udp_.Get();
}

UdpRttResult Client::UdpRtt(std::size_t payload, int warmup, int count, double max_seconds) {
  const std::uint32_t token = next_token_++;
  const std::size_t size = k::kDatagramHeaderBytes + payload;
  const int total = warmup + count;
  const int fd = UdpSocket(StartUdp(true, static_cast<std::uint64_t>(total), token));
  std::vector<std::uint8_t> datagram(buffer_.begin(),
                                     buffer_.begin() + static_cast<std::ptrdiff_t>(size));
  std::vector<std::uint8_t> reply(k::kMaxDatagramBytes);
  UdpRttResult result;
  result.micros.reserve(static_cast<std::size_t>(count));
  const auto start = SteadyClock::now();
  k::Datagram d;
  d.token = token;
  for (int i = 0; i < total; ++i) {
    if (i >= warmup && SecondsBetween(start, SteadyClock::now()) > max_seconds) break;
    d.sequence = static_cast<std::uint64_t>(i);
    k::WriteDatagramHeader(d, datagram.data());
    const auto t0 = SteadyClock::now();
    if (::send(fd, datagram.data(), size, MSG_NOSIGNAL) < 0) {
      throw SystemError("send (UDP)", errno);
    }
    bool answered = false;
    for (;;) {
      const double left = kUdpReplyTimeout - SecondsBetween(t0, SteadyClock::now());
      if (left <= 0 || !WaitReadable(fd, static_cast<int>(std::ceil(left * 1000)))) break;
      const ssize_t n = ::recv(fd, reply.data(), reply.size(), MSG_DONTWAIT);
      if (n < 0) continue;
      k::Datagram got;
      if (k::ParseDatagram(reply.data(), static_cast<std::size_t>(n), &got) && got.token == token &&
          got.sequence == d.sequence && static_cast<std::size_t>(n) == size) {
        answered = true;
        break;
      }
      // A late answer to an earlier, already counted-as-lost datagram: keep waiting.
    }
    const auto t1 = SteadyClock::now();
    if (!answered) {
      if (i >= warmup) ++result.lost;
    } else if (i >= warmup) {
      result.micros.push_back(Micros(t0, t1));
    }
  }
  d.kind = k::DatagramKind::kEnd;
  k::WriteDatagramHeader(d, datagram.data());
  for (int i = 0; i < 3; ++i) ::send(fd, datagram.data(), k::kDatagramHeaderBytes, MSG_NOSIGNAL);
  return result;
}

double Client::TcpStream(std::uint64_t bytes, std::size_t write_size) {
  const int fd = tcp_.Get();
  if (write_size > buffer_.size()) write_size = buffer_.size();
  std::uint8_t count[8];
  k::StoreBe64(bytes, count);
  // Nagle on for the stream, as a bulk sender has it: with TCP_NODELAY (set for the round trips)
  // a write that is not a multiple of the segment size leaves a tiny segment behind each time.
  SetNoDelay(fd, false);
  const auto start = SteadyClock::now();
  SendControl(fd, k::FrameType::kStream, count, 8);
  std::uint64_t left = bytes;
  while (left > 0) {
    const std::size_t n = left < write_size ? static_cast<std::size_t>(left) : write_size;
    Expect(SendAll(fd, buffer_.data(), n), "server closed the connection during the stream");
    left -= n;
  }
  std::uint8_t done[8];
  RecvControl(fd, k::FrameType::kStreamDone, done);
  const double seconds = SecondsBetween(start, SteadyClock::now());
  SetNoDelay(fd, true);
  Expect(k::LoadBe64(done) == bytes, "the server received a different byte count");
  return seconds;
}

UdpSinkResult Client::UdpSink(std::size_t datagram_bytes, double rate_bps, double seconds) {
  const std::uint32_t token = next_token_++;
  const double interval = static_cast<double>(datagram_bytes) * 8.0 / rate_bps;
  auto count = static_cast<std::uint64_t>(std::ceil(seconds / interval));
  if (count < 1) count = 1;
  if (count > kMaxUdpCount) count = kMaxUdpCount;
  const int fd = UdpSocket(StartUdp(false, count, token));
  std::vector<std::uint8_t> datagram(buffer_.begin(),
                                     buffer_.begin() + static_cast<std::ptrdiff_t>(datagram_bytes));
  k::Datagram d;
  d.token = token;
  UdpSinkResult result;
  const auto start = SteadyClock::now();
  const auto step = std::chrono::duration<double>(interval);
  for (std::uint64_t i = 0; i < count; ++i) {
    const auto due =
        start + std::chrono::duration_cast<SteadyClock::duration>(step * static_cast<double>(i));
    auto now = SteadyClock::now();
    if (SecondsBetween(start, now) > 1.5 * seconds + 0.1) break;  // cannot keep the pace
    if (due - now > std::chrono::microseconds(200)) {
      std::this_thread::sleep_for(due - now - std::chrono::microseconds(100));
    }
    while (SteadyClock::now() < due) {
    }
    d.sequence = i;
    k::WriteDatagramHeader(d, datagram.data());
    if (::send(fd, datagram.data(), datagram_bytes, MSG_NOSIGNAL) < 0) {
      if (errno == ENOBUFS || errno == EAGAIN) continue;  // dropped by the local stack: lost
      throw SystemError("send (UDP)", errno);
    }
    ++result.sent;
  }
  result.seconds = SecondsBetween(start, SteadyClock::now());
  d.kind = k::DatagramKind::kEnd;
  k::WriteDatagramHeader(d, datagram.data());
  for (int i = 0; i < 3; ++i) ::send(fd, datagram.data(), k::kDatagramHeaderBytes, MSG_NOSIGNAL);
  std::uint8_t report[40];
  RecvControl(tcp_.Get(), k::FrameType::kUdpReport, report);
  result.received = k::LoadBe64(report);
  result.reordered = k::LoadBe64(report + 8);
  result.duplicates = k::LoadBe64(report + 16);
  result.invalid = k::LoadBe64(report + 24);
  result.bytes_received = k::LoadBe64(report + 32);
  // Datagrams the client gave up on before sending are not counted as sent.
  return result;
}

void Client::Bye() {
  std::uint8_t none[1] = {0};
  SendControl(tcp_.Get(), k::FrameType::kBye, none, 0);
}

HttpClient::HttpClient(const Endpoint& server, double timeout_s)
    : tcp_(ConnectTcp(server, timeout_s)), conn_(tcp_.Get(), 64 * 1024) {}

std::size_t HttpClient::Request(const std::string& request) {
  Expect(SendAll(tcp_.Get(), request.data(), request.size()), "HTTP server closed the connection");
  for (;;) {
    const std::string_view data(reinterpret_cast<const char*>(conn_.Data()), conn_.Available());
    k::HttpHead head;
    const k::HttpStatus status = k::ParseHttpResponse(data, kMaxHttpHead, kMaxHttpBody, &head);
    if (status == k::HttpStatus::kNeedMore) {
      Expect(conn_.Fill(), "no HTTP response (timeout or closed)");
      continue;
    }
    Expect(status == k::HttpStatus::kOk, std::string("bad HTTP response: ") + k::ToString(status));
    Expect(head.status_code == 200, "HTTP status " + std::to_string(head.status_code));
    const std::size_t total = head.head_bytes + static_cast<std::size_t>(head.content_length);
    Expect(conn_.Need(total), "HTTP response body cut short");
    conn_.Consume(total);
    return total;
  }
}

std::string MinimalHttpRequest() { return "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"; }

std::string RealisticHttpRequest() {
  return "GET /api/v1/items?page=2&sort=recent HTTP/1.1\r\n"
         "Host: 127.0.0.1\r\n"
         "Connection: keep-alive\r\n"
         "Cache-Control: max-age=0\r\n"
         "Upgrade-Insecure-Requests: 1\r\n"
         "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
         "Chrome/120.0.0.0 Safari/537.36\r\n"
         "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
         "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
         "Sec-Fetch-Site: same-origin\r\n"
         "Sec-Fetch-Mode: navigate\r\n"
         "Sec-Fetch-Dest: document\r\n"
         "Referer: http://127.0.0.1/api/v1/items?page=1&sort=recent\r\n"
         "Accept-Encoding: gzip, deflate, br\r\n"
         "Accept-Language: en-US,en;q=0.9,de;q=0.8\r\n"
         "Cookie: sessionid=3f9a1c2e7b4d4e0f9a8b7c6d5e4f3a2b; csrftoken=Zx8Yw7Vu6Ts5Rq4Po3Nm2Lk1; "
         "_ga=GA1.1.1234567890.1700000000; theme=dark\r\n"
         "\r\n";
}

}  // namespace sysbench::net
