// libFuzzer target: the `sysbench net` wire parsers on arbitrary bytes: a stream of TCP frames
// parsed the way the server does, UDP datagrams, the sequence tracker and the HTTP head parsers.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "topics/net/kernels/net_protocol.h"

namespace k = sysbench::kernels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Frames back to back, with a small bound so oversize frames are common.
  constexpr std::uint32_t kMaxPayload = 256;
  std::size_t pos = 0;
  while (pos < size) {
    k::FrameHeader h;
    const k::FrameStatus status = k::ParseFrameHeader(data + pos, size - pos, kMaxPayload, &h);
    if (status != k::FrameStatus::kOk) break;
    if (h.length > kMaxPayload) std::abort();
    if (h.type != k::FrameType::kEcho && h.length != k::ControlPayloadBytes(h.type)) std::abort();
    if (size - pos < k::kFrameHeaderBytes + h.length) break;  // the server would wait for more
    const std::uint8_t* payload = data + pos + k::kFrameHeaderBytes;
    if (h.type == k::FrameType::kStream) (void)k::LoadBe64(payload);
    pos += k::kFrameHeaderBytes + h.length;
  }
  k::Datagram d;
  if (k::ParseDatagram(data, size, &d)) {
    std::uint8_t again[k::kDatagramHeaderBytes];
    k::WriteDatagramHeader(d, again);
    for (std::size_t i = 0; i < k::kDatagramHeaderBytes; ++i) {
      if (again[i] != data[i]) std::abort();
    }
  }
  // Sequence numbers from the input, against a small window.
  std::uint64_t seen[2] = {};
  k::SequenceTracker tracker(100, seen);
  for (std::size_t i = 0; i + 1 < size; i += 2) tracker.Add(data[i] % 128);
  if (tracker.Received() > 100 || tracker.Lost() > 100) std::abort();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  k::HttpHead head;
  if (k::ParseHttpRequest(text, 1024, &head) == k::HttpStatus::kOk) {
    if (head.head_bytes > size || head.head_bytes > 1024 || head.method.empty()) std::abort();
  }
  if (k::ParseHttpResponse(text, 1024, 4096, &head) == k::HttpStatus::kOk) {
    if (head.head_bytes > size || head.content_length > 4096) std::abort();
  }
  return 0;
}
