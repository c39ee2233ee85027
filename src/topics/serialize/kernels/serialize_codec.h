// Wire encodings of integers: base-128 varints (Protocol Buffers' format), zigzag for signed
// values, fixed-width little- and big-endian, and densely packed 24-bit integers. Pure functions
// over caller-owned buffers: no I/O, no allocation, no exceptions. Decoders never read past
// `data + size` and report malformed input instead of guessing.
#pragma once

#include <cstddef>
#include <cstdint>

namespace sysbench::kernels {

// A 64-bit value needs at most 10 base-128 digits (ceil(64 / 7)).
inline constexpr std::size_t kMaxVarintBytes = 10;

enum class DecodeStatus : std::uint8_t {
  kOk,
  kTruncated,  // the buffer ended inside a value (or before `count` values)
  kTooLong,    // more than 10 bytes, or a 10th byte that carries bits beyond bit 63
};

const char* ToString(DecodeStatus status);

inline std::uint64_t ZigZagEncode(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}
inline std::int64_t ZigZagDecode(std::uint64_t value) {
  return static_cast<std::int64_t>((value >> 1) ^ (~(value & 1) + 1));
}

// Number of bytes the varint form of `value` takes (1 ... 10).
std::size_t VarintSize(std::uint64_t value);

// Writes `value` as a varint at `out` (room for kMaxVarintBytes); returns the bytes written.
std::size_t EncodeVarint(std::uint64_t value, std::uint8_t* out);

struct VarintResult {
  DecodeStatus status = DecodeStatus::kOk;
  std::uint64_t value = 0;
  std::size_t length = 0;  // bytes consumed when kOk
};

// Decodes one varint from [data, data + size). Never reads past the end.
VarintResult DecodeVarint(const std::uint8_t* data, std::size_t size);

struct BulkResult {
  DecodeStatus status = DecodeStatus::kOk;
  std::size_t values = 0;      // values produced (all of them when kOk)
  std::size_t bytes = 0;       // bytes consumed or written
  std::uint64_t checksum = 0;  // sum of the values, so the work cannot be deleted
};

// Bulk encoders: `out` must hold count * kMaxVarintBytes (varint, zigzag), count * width (fixed)
// or count * 3 (int24) bytes. They return the bytes written.
std::size_t EncodeVarintArray(const std::uint64_t* values, std::size_t count, std::uint8_t* out);
std::size_t EncodeZigZagArray(const std::int64_t* values, std::size_t count, std::uint8_t* out);
// Fixed width of 4 or 8 bytes, little-endian (no conversion on x86) or big-endian (bswap).
std::size_t EncodeFixedArray(const std::uint64_t* values, std::size_t count, unsigned width,
                             bool big_endian, std::uint8_t* out);

// Bulk decoders: exactly `count` values from [data, data + size) into `out`.
BulkResult DecodeVarintArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                             std::uint64_t* out);
BulkResult DecodeZigZagArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                             std::int64_t* out);
BulkResult DecodeFixedArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                            unsigned width, bool big_endian, std::uint64_t* out);

// The seed's 3-byte integers: values in [-2^23, 2^23) packed little-endian, 3 bytes each.
inline constexpr std::int32_t kInt24Min = -(1 << 23);
inline constexpr std::int32_t kInt24Max = (1 << 23) - 1;
std::size_t PackInt24(const std::int32_t* values, std::size_t count, std::uint8_t* out);
BulkResult UnpackInt24(const std::uint8_t* data, std::size_t size, std::size_t count,
                       std::int32_t* out);
// Arithmetic on the packed form (convert each value on demand) vs on a native int32 copy.
std::int64_t SumPackedInt24(const std::uint8_t* data, std::size_t count);
std::int64_t SumInt32(const std::int32_t* values, std::size_t count);

}  // namespace sysbench::kernels
