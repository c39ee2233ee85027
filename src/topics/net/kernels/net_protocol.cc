#include "topics/net/kernels/net_protocol.h"

namespace sysbench::kernels {
namespace {

constexpr std::uint8_t kMagic0 = 'S';
constexpr std::uint8_t kFrameMagic1 = 'B';
constexpr std::uint8_t kDatagramMagic1 = 'U';

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '#' || c == '$' || c == '%' || c == '&' ||
         c == '\'' || c == '*' || c == '+' || c == '^' || c == '`' || c == '|' || c == '~';
}

// Digits only, at most 19 of them (fits uint64 without overflow), and <= max.
bool ParseDecimal(std::string_view s, std::uint64_t max, std::uint64_t* out) {
  if (s.empty() || s.size() > 19) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (v > max) return false;
  *out = v;
  return true;
}

// Finds the end of the head ("\r\n\r\n") within the first max_head bytes.
HttpStatus FindHead(std::string_view data, std::size_t max_head, std::size_t* head_bytes) {
  const std::size_t limit = data.size() < max_head ? data.size() : max_head;
  const std::size_t end = data.substr(0, limit).find("\r\n\r\n");
  if (end == std::string_view::npos) {
    return data.size() >= max_head ? HttpStatus::kTooLarge : HttpStatus::kNeedMore;
  }
  *head_bytes = end + 4;
  return HttpStatus::kOk;
}

// Header lines after the start line; fills content_length and close.
HttpStatus ParseHeaders(std::string_view lines, std::uint64_t max_body, HttpHead* out) {
  bool have_length = false;
  while (!lines.empty()) {
    const std::size_t eol = lines.find("\r\n");
    const std::string_view line = lines.substr(0, eol);
    lines.remove_prefix(eol == std::string_view::npos ? lines.size() : eol + 2);
    if (line.empty()) continue;
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return HttpStatus::kBad;
    const std::string_view name = line.substr(0, colon);
    for (char c : name) {
      if (!IsTokenChar(c)) return HttpStatus::kBad;
    }
    const std::string_view value = Trim(line.substr(colon + 1));
    for (char c : value) {
      if (c == '\r' || c == '\n' || c == '\0') return HttpStatus::kBad;
    }
    if (EqualsIgnoreCase(name, "content-length")) {
      std::uint64_t length = 0;
      if (have_length || !ParseDecimal(value, max_body, &length)) return HttpStatus::kBad;
      have_length = true;
      out->content_length = length;
    } else if (EqualsIgnoreCase(name, "connection")) {
      out->close = EqualsIgnoreCase(value, "close");
    } else if (EqualsIgnoreCase(name, "transfer-encoding")) {
      return HttpStatus::kBad;  // chunked bodies are not part of this benchmark
    }
  }
  return HttpStatus::kOk;
}

}  // namespace

const char* ToString(FrameStatus status) {
  switch (status) {
    case FrameStatus::kOk:
      return "ok";
    case FrameStatus::kNeedMore:
      return "incomplete header";
    case FrameStatus::kBadMagic:
      return "not a sysbench frame";
    case FrameStatus::kBadVersion:
      return "unsupported frame version";
    case FrameStatus::kBadType:
      return "unknown frame type";
    case FrameStatus::kTooLarge:
      return "frame larger than the bound";
    case FrameStatus::kBadPayload:
      return "wrong payload length for the frame type";
  }
  return "?";
}

const char* ToString(HttpStatus status) {
  switch (status) {
    case HttpStatus::kOk:
      return "ok";
    case HttpStatus::kNeedMore:
      return "incomplete head";
    case HttpStatus::kTooLarge:
      return "head too large";
    case HttpStatus::kBad:
      return "malformed";
  }
  return "?";
}

void StoreBe16(std::uint16_t value, std::uint8_t* out) {
  out[0] = static_cast<std::uint8_t>(value >> 8);
  out[1] = static_cast<std::uint8_t>(value);
}
void StoreBe32(std::uint32_t value, std::uint8_t* out) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(value >> (24 - 8 * i));
}
void StoreBe64(std::uint64_t value, std::uint8_t* out) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(value >> (56 - 8 * i));
}
std::uint16_t LoadBe16(const std::uint8_t* in) {
  return static_cast<std::uint16_t>((in[0] << 8) | in[1]);
}
std::uint32_t LoadBe32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | in[i];
  return v;
}
std::uint64_t LoadBe64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

std::uint32_t ControlPayloadBytes(FrameType type) {
  switch (type) {
    case FrameType::kEcho:
    case FrameType::kBye:
      return 0;
    case FrameType::kStream:
    case FrameType::kStreamDone:
      return 8;
    case FrameType::kUdpEcho:
    case FrameType::kUdpSink:
      return 12;
    case FrameType::kUdpReady:
      return 2;
    case FrameType::kUdpReport:
      return 40;
  }
  return 0;
}

FrameStatus ParseFrameHeader(const std::uint8_t* data, std::size_t size, std::uint32_t max_payload,
                             FrameHeader* out) {
  // Reject garbage as early as the bytes allow, so a peer cannot park a half header.
  if (size >= 1 && data[0] != kMagic0) return FrameStatus::kBadMagic;
  if (size >= 2 && data[1] != kFrameMagic1) return FrameStatus::kBadMagic;
  if (size >= 3 && data[2] != kFrameVersion) return FrameStatus::kBadVersion;
  if (size < kFrameHeaderBytes) return FrameStatus::kNeedMore;
  const std::uint8_t type = data[3];
  if (type < static_cast<std::uint8_t>(FrameType::kEcho) ||
      type > static_cast<std::uint8_t>(FrameType::kBye)) {
    return FrameStatus::kBadType;
  }
  const std::uint32_t length = LoadBe32(data + 4);
  if (length > max_payload) return FrameStatus::kTooLarge;
  const auto frame_type = static_cast<FrameType>(type);
  if (frame_type != FrameType::kEcho && length != ControlPayloadBytes(frame_type)) {
    return FrameStatus::kBadPayload;
  }
  out->type = frame_type;
  out->length = length;
  return FrameStatus::kOk;
}

void WriteFrameHeader(FrameType type, std::uint32_t length, std::uint8_t* out) {
  out[0] = kMagic0;
  out[1] = kFrameMagic1;
  out[2] = kFrameVersion;
  out[3] = static_cast<std::uint8_t>(type);
  StoreBe32(length, out + 4);
}

bool ParseDatagram(const std::uint8_t* data, std::size_t size, Datagram* out) {
  if (size < kDatagramHeaderBytes || size > kMaxDatagramBytes) return false;
  if (data[0] != kMagic0 || data[1] != kDatagramMagic1 || data[3] != 0) return false;
  if (data[2] != static_cast<std::uint8_t>(DatagramKind::kData) &&
      data[2] != static_cast<std::uint8_t>(DatagramKind::kEnd)) {
    return false;
  }
  out->kind = static_cast<DatagramKind>(data[2]);
  out->token = LoadBe32(data + 4);
  out->sequence = LoadBe64(data + 8);
  return true;
}

void WriteDatagramHeader(const Datagram& datagram, std::uint8_t* out) {
  out[0] = kMagic0;
  out[1] = kDatagramMagic1;
  out[2] = static_cast<std::uint8_t>(datagram.kind);
  out[3] = 0;
  StoreBe32(datagram.token, out + 4);
  StoreBe64(datagram.sequence, out + 8);
}

void SequenceTracker::Add(std::uint64_t sequence) {
  if (sequence >= expected_) {
    ++invalid_;
    return;
  }
  std::uint64_t& word = seen_[sequence / 64];
  const std::uint64_t bit = std::uint64_t{1} << (sequence % 64);
  if ((word & bit) != 0) {
    ++duplicates_;
    return;
  }
  word |= bit;
  ++received_;
  if (sequence + 1 < next_) {
    ++reordered_;  // arrived after a later datagram
  } else {
    next_ = sequence + 1;
  }
}

HttpStatus ParseHttpRequest(std::string_view data, std::size_t max_head, HttpHead* out) {
  std::size_t head_bytes = 0;
  const HttpStatus found = FindHead(data, max_head, &head_bytes);
  if (found != HttpStatus::kOk) return found;
  const std::string_view head = data.substr(0, head_bytes - 2);  // keep the last line's CRLF
  const std::size_t eol = head.find("\r\n");
  const std::string_view line = head.substr(0, eol);
  const std::size_t sp1 = line.find(' ');
  if (sp1 == std::string_view::npos || sp1 == 0) return HttpStatus::kBad;
  const std::size_t sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return HttpStatus::kBad;
  const std::string_view method = line.substr(0, sp1);
  for (char c : method) {
    if (c < 'A' || c > 'Z') return HttpStatus::kBad;
  }
  const std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target.front() != '/') return HttpStatus::kBad;
  for (char c : target) {
    if (c <= ' ' || c == 0x7f) return HttpStatus::kBad;
  }
  if (line.substr(sp2 + 1) != "HTTP/1.1" && line.substr(sp2 + 1) != "HTTP/1.0") {
    return HttpStatus::kBad;
  }
  HttpHead head_out;
  head_out.method = method;
  head_out.target = target;
  head_out.head_bytes = head_bytes;
  const HttpStatus headers = ParseHeaders(head.substr(eol + 2), 0, &head_out);
  if (headers != HttpStatus::kOk) return headers;
  *out = head_out;
  return HttpStatus::kOk;
}

HttpStatus ParseHttpResponse(std::string_view data, std::size_t max_head, std::uint64_t max_body,
                             HttpHead* out) {
  std::size_t head_bytes = 0;
  const HttpStatus found = FindHead(data, max_head, &head_bytes);
  if (found != HttpStatus::kOk) return found;
  const std::string_view head = data.substr(0, head_bytes - 2);
  const std::size_t eol = head.find("\r\n");
  const std::string_view line = head.substr(0, eol);
  // "HTTP/1.1 200 OK"
  if (line.size() < 12 || line.substr(0, 9) != "HTTP/1.1 ") return HttpStatus::kBad;
  if (line.size() > 12 && line[12] != ' ') return HttpStatus::kBad;
  std::uint64_t code = 0;
  if (!ParseDecimal(line.substr(9, 3), 999, &code) || code < 100) return HttpStatus::kBad;
  HttpHead head_out;
  head_out.status_code = static_cast<int>(code);
  head_out.head_bytes = head_bytes;
  head_out.content_length = ~std::uint64_t{0};
  const HttpStatus headers = ParseHeaders(head.substr(eol + 2), max_body, &head_out);
  if (headers != HttpStatus::kOk) return headers;
  if (head_out.content_length == ~std::uint64_t{0}) return HttpStatus::kBad;
  *out = head_out;
  return HttpStatus::kOk;
}

}  // namespace sysbench::kernels
