// Small POSIX socket helpers for `sysbench net`: owned descriptors, numeric addresses only (no DNS
// lookups, so nothing leaves the machine by surprise), and I/O with timeouts that never hang.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sysbench::net {

class Connection;

// An owned file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      Reset();
      fd_ = other.Release();
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int Get() const { return fd_; }
  bool Valid() const { return fd_ >= 0; }
  int Release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void Reset();

 private:
  int fd_ = -1;
};

struct Endpoint {
  sockaddr_storage addr{};
  socklen_t length = 0;
  int family = AF_INET;

  const sockaddr* Addr() const { return reinterpret_cast<const sockaddr*>(&addr); }
  sockaddr* Addr() { return reinterpret_cast<sockaddr*>(&addr); }
  std::uint16_t Port() const;
  void SetPort(std::uint16_t port);
  bool IsLoopback() const;
  std::string ToString() const;  // "127.0.0.1:5201", "[::1]:5201"
};

// A numeric IPv4 or IPv6 address ("localhost" means 127.0.0.1); throws UsageError naming
// `option` for anything else. No name resolution is done.
Endpoint ParseAddress(const std::string& text, std::uint16_t port, const std::string& option);

// A port in 1..65535 (or 0 when allow_zero: any free port); throws UsageError naming `option`.
std::uint16_t ParsePort(const std::string& text, const std::string& option, bool allow_zero);

// SO_RCVTIMEO and SO_SNDTIMEO, so a blocking call returns after `seconds` at the latest.
void SetTimeouts(int fd, double seconds);
void SetNoDelay(int fd, bool on = true);
void SetBufferSizes(int fd, int bytes);

// Every byte or false (peer gone, timeout, error). MSG_NOSIGNAL: a closed peer is no SIGPIPE.
bool SendAll(int fd, const void* data, std::size_t size, int flags = 0);
bool RecvAll(int fd, void* data, std::size_t size);
// Waits until fd is readable: true if readable, false on timeout or error.
bool WaitReadable(int fd, int timeout_ms);

// A socket of `type` bound to `local` (SO_REUSEADDR for TCP); throws SystemError.
Fd BindSocket(const Endpoint& local, int type);
// A TCP connection to `remote`, with a connect timeout; throws SystemError (RuntimeError).
Fd ConnectTcp(const Endpoint& remote, double timeout_s);
// The locally bound address of fd.
Endpoint LocalEndpoint(int fd);

// A buffered reader over a connected stream socket (whose timeouts bound every read).
class Connection {
 public:
  Connection(int fd, std::size_t capacity) : fd_(fd), buf_(capacity) {}
  int Fd() const { return fd_; }
  std::size_t Available() const { return end_ - begin_; }
  const std::uint8_t* Data() const { return buf_.data() + begin_; }
  void Consume(std::size_t n);
  // Reads what the socket has (at least one byte). False on end of stream, timeout, error, or
  // when the buffer is already full.
  bool Fill();
  // Reads until at least n (<= capacity) bytes are buffered.
  bool Need(std::size_t n);

 private:
  int fd_;
  std::vector<std::uint8_t> buf_;
  std::size_t begin_ = 0, end_ = 0;
};

}  // namespace sysbench::net
