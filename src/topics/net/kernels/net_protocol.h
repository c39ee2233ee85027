// The bytes `sysbench net` puts on the wire, and their parsers: pure functions over byte spans (no
// I/O, no allocation, no exceptions), so they can be fuzzed without sockets. Every parser checks
// lengths against a bound and never reads past `data + size`.
//
// TCP frame: 'S' 'B' version(1) type(1) payload_length(4, big-endian), then the payload.
// UDP datagram: 'S' 'U' kind(1) 0(1) token(4, big-endian) sequence(8, big-endian), then padding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sysbench::kernels {

inline constexpr std::size_t kFrameHeaderBytes = 8;
inline constexpr std::uint8_t kFrameVersion = 1;

enum class FrameType : std::uint8_t {
  kEcho = 1,        // payload echoed back unchanged (round-trip time)
  kStream = 2,      // payload: u64 byte count; that many raw bytes follow, then kStreamDone
  kStreamDone = 3,  // payload: u64 bytes received
  kUdpEcho = 4,     // payload: u64 count, u32 token; reply kUdpReady, then echo datagrams
  kUdpSink = 5,     // payload: u64 count, u32 token; reply kUdpReady, count, reply kUdpReport
  kUdpReady = 6,    // payload: u16 UDP port
  kUdpReport = 7,   // payload: 5 x u64: received, reordered, duplicates, invalid, bytes
  kBye = 8,         // end of session
};

enum class FrameStatus : std::uint8_t {
  kOk,
  kNeedMore,  // fewer than kFrameHeaderBytes bytes so far
  kBadMagic,  // not a sysbench frame (garbage, or another protocol)
  kBadVersion,
  kBadType,
  kTooLarge,    // payload length above the bound
  kBadPayload,  // length does not fit the type (e.g. kStream without its 8 bytes)
};

const char* ToString(FrameStatus status);

struct FrameHeader {
  FrameType type = FrameType::kEcho;
  std::uint32_t length = 0;
};

// Parses and checks a frame header: magic, version, type, length <= max_payload, and the exact
// payload length for control frames.
FrameStatus ParseFrameHeader(const std::uint8_t* data, std::size_t size, std::uint32_t max_payload,
                             FrameHeader* out);
void WriteFrameHeader(FrameType type, std::uint32_t length, std::uint8_t* out);
// Payload length a control frame must have (0 for kEcho, whose length is free).
std::uint32_t ControlPayloadBytes(FrameType type);

void StoreBe16(std::uint16_t value, std::uint8_t* out);
void StoreBe32(std::uint32_t value, std::uint8_t* out);
void StoreBe64(std::uint64_t value, std::uint8_t* out);
std::uint16_t LoadBe16(const std::uint8_t* in);
std::uint32_t LoadBe32(const std::uint8_t* in);
std::uint64_t LoadBe64(const std::uint8_t* in);

inline constexpr std::size_t kDatagramHeaderBytes = 16;
// The largest UDP payload over IPv4 (65535 - 20 IP - 8 UDP).
inline constexpr std::size_t kMaxDatagramBytes = 65507;

enum class DatagramKind : std::uint8_t { kData = 1, kEnd = 2 };

struct Datagram {
  DatagramKind kind = DatagramKind::kData;
  std::uint32_t token = 0;
  std::uint64_t sequence = 0;
};

// False for anything that is not a well-formed sysbench datagram.
bool ParseDatagram(const std::uint8_t* data, std::size_t size, Datagram* out);
void WriteDatagramHeader(const Datagram& datagram, std::uint8_t* out);

// Counts what arrived of datagrams 0 .. expected-1: received, late (reordered), duplicated and
// out-of-range sequence numbers. `seen` is caller storage of (expected + 63) / 64 words, zeroed.
class SequenceTracker {
 public:
  SequenceTracker(std::uint64_t expected, std::uint64_t* seen) : expected_(expected), seen_(seen) {}
  void Add(std::uint64_t sequence);
  std::uint64_t Received() const { return received_; }
  std::uint64_t Reordered() const { return reordered_; }
  std::uint64_t Duplicates() const { return duplicates_; }
  std::uint64_t Invalid() const { return invalid_; }
  std::uint64_t Lost() const { return expected_ - received_; }

 private:
  std::uint64_t expected_;
  std::uint64_t* seen_;
  std::uint64_t next_ = 0;  // one past the highest sequence seen
  std::uint64_t received_ = 0, reordered_ = 0, duplicates_ = 0, invalid_ = 0;
};

enum class HttpStatus : std::uint8_t {
  kOk,
  kNeedMore,  // no blank line yet, and still under the bound
  kTooLarge,  // head longer than the bound without a blank line
  kBad,       // malformed request or status line, or a bad Content-Length
};

const char* ToString(HttpStatus status);

struct HttpHead {
  std::size_t head_bytes = 0;  // through the blank line
  std::string_view method;     // request: "GET"
  std::string_view target;     // request: "/"
  int status_code = 0;         // response: 200
  std::uint64_t content_length = 0;
  bool close = false;  // "Connection: close"
};

// Parses an HTTP/1.1 request head ("GET / HTTP/1.1\r\n" headers "\r\n") of at most max_head bytes.
HttpStatus ParseHttpRequest(std::string_view data, std::size_t max_head, HttpHead* out);
// Parses an HTTP/1.1 response head; Content-Length must be present and <= max_body.
HttpStatus ParseHttpResponse(std::string_view data, std::size_t max_head, std::uint64_t max_body,
                             HttpHead* out);

}  // namespace sysbench::kernels
