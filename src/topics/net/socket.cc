#include "topics/net/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>

#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench::net {

void Fd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::uint16_t Endpoint::Port() const {
  if (family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  return ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
}

void Endpoint::SetPort(std::uint16_t port) {
  if (family == AF_INET6) {
    reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in*>(&addr)->sin_port = htons(port);
  }
}

bool Endpoint::IsLoopback() const {
  if (family == AF_INET6) {
    const auto* a6 = reinterpret_cast<const sockaddr_in6*>(&addr);
    return IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr) != 0;
  }
  const auto* a4 = reinterpret_cast<const sockaddr_in*>(&addr);
  return (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
}

std::string Endpoint::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_addr, text,
              sizeof(text));
    std::string out = "[";
    out.append(text);
    out.append("]:");
    out.append(std::to_string(Port()));
    return out;
  }
  inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&addr)->sin_addr, text, sizeof(text));
  std::string out(text);
  out.append(":");
  out.append(std::to_string(Port()));
  return out;
}

Endpoint ParseAddress(const std::string& text, std::uint16_t port, const std::string& option) {
  Endpoint e;
  std::string inner = text == "localhost" ? std::string("127.0.0.1") : text;
  if (inner.size() > 2 && inner.front() == '[' && inner.back() == ']') {
    inner.pop_back();
    inner.erase(inner.begin());
  }
  auto* a4 = reinterpret_cast<sockaddr_in*>(&e.addr);
  auto* a6 = reinterpret_cast<sockaddr_in6*>(&e.addr);
  if (inet_pton(AF_INET, inner.c_str(), &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    e.family = AF_INET;
    e.length = sizeof(sockaddr_in);
  } else if (inet_pton(AF_INET6, inner.c_str(), &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    e.family = AF_INET6;
    e.length = sizeof(sockaddr_in6);
  } else {
    throw UsageError(option + " '" + text +
                     "': not a numeric IPv4 or IPv6 address (names are not resolved)");
  }
  e.SetPort(port);
  return e;
}

std::uint16_t ParsePort(const std::string& text, const std::string& option, bool allow_zero) {
  return static_cast<std::uint16_t>(ParseInt(text, option, allow_zero ? 0 : 1, 65535));
}

void SetTimeouts(int fd, double seconds) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(seconds);
  tv.tv_usec = static_cast<suseconds_t>((seconds - std::floor(seconds)) * 1e6);
  if (tv.tv_sec == 0 && tv.tv_usec == 0) tv.tv_usec = 1000;  // 0 would mean "no timeout"
  if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
      setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) != 0) {
    throw SystemError("setsockopt(SO_RCVTIMEO)", errno);
  }
}

void SetNoDelay(int fd, bool on) {
  const int value = on ? 1 : 0;
  if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &value, sizeof(value)) != 0) {
    throw SystemError("setsockopt(TCP_NODELAY)", errno);
  }
}

void SetBufferSizes(int fd, int bytes) {
  // Best effort: the kernel caps these at net.core.{r,w}mem_max.
  setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes));
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

bool SendAll(int fd, const void* data, std::size_t size, int flags) {
  const auto* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::send(fd, p, size, MSG_NOSIGNAL | flags);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool RecvAll(int fd, void* data, std::size_t size) {
  auto* p = static_cast<char*>(data);
  while (size > 0) {
    const ssize_t n = ::recv(fd, p, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool WaitReadable(int fd, int timeout_ms) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  do {
    rc = ::poll(&p, 1, timeout_ms);
  } while (rc < 0 && errno == EINTR);
  return rc > 0;
}

Fd BindSocket(const Endpoint& local, int type) {
  Fd fd(::socket(local.family, type | SOCK_CLOEXEC, 0));
  if (!fd.Valid()) throw SystemError("socket", errno);
  if (type == SOCK_STREAM) {
    const int one = 1;
    setsockopt(fd.Get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  }
  if (::bind(fd.Get(), local.Addr(), local.length) != 0) {
    throw SystemError("bind '" + local.ToString() + "'", errno);
  }
  return fd;
}

Fd ConnectTcp(const Endpoint& remote, double timeout_s) {
  Fd fd(::socket(remote.family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd.Valid()) throw SystemError("socket", errno);
  if (::connect(fd.Get(), remote.Addr(), remote.length) != 0) {
    if (errno != EINPROGRESS) throw SystemError("connect '" + remote.ToString() + "'", errno);
    pollfd p{fd.Get(), POLLOUT, 0};
    int rc;
    do {
      rc = ::poll(&p, 1, static_cast<int>(timeout_s * 1000));
    } while (rc < 0 && errno == EINTR);
    if (rc == 0) throw SystemError("connect '" + remote.ToString() + "'", ETIMEDOUT);
    int error = 0;
    socklen_t len = sizeof(error);
    getsockopt(fd.Get(), SOL_SOCKET, SO_ERROR, &error, &len);
    if (rc < 0 || error != 0) {
      throw SystemError("connect '" + remote.ToString() + "'", rc < 0 ? errno : error);
    }
  }
  const int flags = fcntl(fd.Get(), F_GETFL);
  fcntl(fd.Get(), F_SETFL, flags & ~O_NONBLOCK);
  SetTimeouts(fd.Get(), timeout_s);
  SetNoDelay(fd.Get());
  return fd;
}

void Connection::Consume(std::size_t n) {
  begin_ += n < Available() ? n : Available();
  if (begin_ == end_) begin_ = end_ = 0;
}

bool Connection::Fill() {
  if (end_ == buf_.size()) {
    if (begin_ == 0) return false;
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  for (;;) {
    const ssize_t n = ::recv(fd_, buf_.data() + end_, buf_.size() - end_, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

bool Connection::Need(std::size_t n) {
  if (n > buf_.size()) return false;
  if (buf_.size() - begin_ < n) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (Available() < n) {
    if (!Fill()) return false;
  }
  return true;
}

Endpoint LocalEndpoint(int fd) {
  Endpoint e;
  e.length = sizeof(e.addr);
  if (getsockname(fd, e.Addr(), &e.length) != 0) throw SystemError("getsockname", errno);
  e.family = e.addr.ss_family;
  return e;
}

}  // namespace sysbench::net
