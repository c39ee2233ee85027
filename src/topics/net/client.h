// The `sysbench net` client: round trips, streams, paced UDP and HTTP requests against a server
// (in-process on 127.0.0.1 by default). Every loop is bounded in count and in time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "topics/net/socket.h"

namespace sysbench::net {

struct UdpRttResult {
  std::vector<double> micros;  // timed round trips
  std::uint64_t lost = 0;      // no answer within the timeout
};

struct UdpSinkResult {
  std::uint64_t sent = 0, received = 0, reordered = 0, duplicates = 0, invalid = 0;
  std::uint64_t bytes_received = 0;
  double seconds = 0;  // first send to last send
};

class Client {
 public:
  // Connects to the server's TCP port. Throws RuntimeError when it cannot.
  Client(const Endpoint& server, double timeout_s);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // `warmup` untimed round trips, then up to `count` timed ones within max_seconds.
  std::vector<double> TcpRtt(std::size_t payload, int warmup, int count, double max_seconds);
  UdpRttResult UdpRtt(std::size_t payload, int warmup, int count, double max_seconds);
  // Streams `bytes` in writes of write_size; seconds from the first write to the server's ack.
  double TcpStream(std::uint64_t bytes, std::size_t write_size);
  // Sends datagrams of `datagram_bytes` paced at rate_bps (bits of UDP payload per second)
  // for `seconds`; the server counts what arrives.
  UdpSinkResult UdpSink(std::size_t datagram_bytes, double rate_bps, double seconds);
  // Ends the session politely.
  void Bye();

 private:
  std::uint16_t StartUdp(bool echo, std::uint64_t count, std::uint32_t token);
  int UdpSocket(std::uint16_t port);

  Endpoint server_;
  double timeout_s_;
  Fd tcp_;
  Fd udp_;
  std::uint16_t udp_connected_port_ = 0;
  std::vector<std::uint8_t> buffer_;
  std::uint32_t next_token_ = 1;
};

// HTTP/1.1 keep-alive requests on their own connection.
class HttpClient {
 public:
  HttpClient(const Endpoint& server, double timeout_s);
  // Sends `request`, reads the whole response; throws RuntimeError on a bad or missing answer.
  // Returns the response's bytes on the wire.
  std::size_t Request(const std::string& request);

 private:
  Fd tcp_;
  Connection conn_;
};

// Requests for the header-overhead comparison: ~40 bytes, and one with ~750 bytes of headers
// like a browser sends.
std::string MinimalHttpRequest();
std::string RealisticHttpRequest();

}  // namespace sysbench::net
