#include "topics/serialize/kernels/serialize_codec.h"

#include <bit>
#include <cstring>

namespace sysbench::kernels {
namespace {

// Decodes one varint from at least kMaxVarintBytes readable bytes (no bounds checks needed).
// Returns the bytes consumed, or 0 when the value is longer than 10 bytes or overflows 64 bits.
inline std::size_t DecodeUnchecked(const std::uint8_t* p, std::uint64_t* value) {
  std::uint64_t byte = p[0];
  if (byte < 0x80) {
    *value = byte;
    return 1;
  }
  std::uint64_t result = byte & 0x7f;
#pragma GCC unroll 9
  for (std::size_t i = 1; i < kMaxVarintBytes; ++i) {
    byte = p[i];
    result |= (byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      if (i == kMaxVarintBytes - 1 && byte > 1) return 0;
      *value = result;
      return i + 1;
    }
  }
  return 0;
}

// The same with a bounds check on every byte, for the last few bytes of a buffer.
inline VarintResult DecodeChecked(const std::uint8_t* p, std::size_t size) {
  VarintResult r;
  std::uint64_t result = 0;
  for (std::size_t i = 0; i < kMaxVarintBytes; ++i) {
    if (i >= size) {
      r.status = DecodeStatus::kTruncated;
      return r;
    }
    const std::uint64_t byte = p[i];
    result |= (byte & 0x7f) << (7 * i);
    if (byte < 0x80) {
      if (i == kMaxVarintBytes - 1 && byte > 1) break;
      r.value = result;
      r.length = i + 1;
      return r;
    }
  }
  r.status = DecodeStatus::kTooLong;
  return r;
}

inline VarintResult DecodeOne(const std::uint8_t* p, std::size_t size) {
  if (size >= kMaxVarintBytes) {
    VarintResult r;
    r.length = DecodeUnchecked(p, &r.value);
    if (r.length == 0) r.status = DecodeStatus::kTooLong;
    return r;
  }
  return DecodeChecked(p, size);
}

inline std::uint8_t* EncodeFast(std::uint64_t value, std::uint8_t* p) {
  if (value < 0x80) {
    *p = static_cast<std::uint8_t>(value);
    return p + 1;
  }
  do {
    *p++ = static_cast<std::uint8_t>(value | 0x80);
    value >>= 7;
  } while (value >= 0x80);
  *p++ = static_cast<std::uint8_t>(value);
  return p;
}

constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

// Without a data-dependent loop (random lengths mispredict it): all ten 7-bit groups are written
// with continuation bits, the last used byte's bit is cleared, and the bytes beyond it are scratch
// that the next value overwrites. Needs 10 writable bytes at p and a little-endian CPU.
inline std::uint8_t* EncodeBranchless(std::uint64_t value, std::uint8_t* p) {
  const auto bits = static_cast<unsigned>(std::bit_width(value | 1));
  const unsigned n = (bits + 6) / 7;
  std::uint64_t lo = 0;
#pragma GCC unroll 8
  for (unsigned j = 0; j < 8; ++j) lo |= ((value >> (7 * j)) & 0x7f) << (8 * j);
  lo |= kHighBits;
  const auto hi = static_cast<std::uint16_t>(((value >> 56) & 0x7f) | 0x80 | ((value >> 63) << 8));
  std::memcpy(p, &lo, 8);
  std::memcpy(p + 8, &hi, 2);
  p[n - 1] &= 0x7f;
  return p + n;
}

constexpr bool kLittle = std::endian::native == std::endian::little;

inline void Store(std::uint64_t value, unsigned width, bool big_endian, std::uint8_t* out) {
  if (width == 4) {
    auto v = static_cast<std::uint32_t>(value);
    if (big_endian == kLittle) v = __builtin_bswap32(v);
    std::memcpy(out, &v, 4);
  } else {
    if (big_endian == kLittle) value = __builtin_bswap64(value);
    std::memcpy(out, &value, 8);
  }
}

inline std::uint64_t Load(const std::uint8_t* in, unsigned width, bool big_endian) {
  if (width == 4) {
    std::uint32_t v;
    std::memcpy(&v, in, 4);
    if (big_endian == kLittle) v = __builtin_bswap32(v);
    return v;
  }
  std::uint64_t v;
  std::memcpy(&v, in, 8);
  if (big_endian == kLittle) v = __builtin_bswap64(v);
  return v;
}

template <unsigned kWidth, bool kBig>
std::size_t EncodeFixedT(const std::uint64_t* values, std::size_t count, std::uint8_t* out) {
  for (std::size_t i = 0; i < count; ++i) Store(values[i], kWidth, kBig, out + i * kWidth);
  return count * kWidth;
}

template <unsigned kWidth, bool kBig>
BulkResult DecodeFixedT(const std::uint8_t* data, std::size_t size, std::size_t count,
                        std::uint64_t* out) {
  BulkResult r;
  const std::size_t fit = size / kWidth;
  const std::size_t n = count < fit ? count : fit;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = Load(data + i * kWidth, kWidth, kBig);
    sum += out[i];
  }
  r.values = n;
  r.bytes = n * kWidth;
  r.checksum = sum;
  if (n < count) r.status = DecodeStatus::kTruncated;
  return r;
}

inline std::int32_t LoadInt24(const std::uint8_t* p) {
  const std::uint32_t u =
      std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16);
  return static_cast<std::int32_t>(u ^ 0x800000u) - 0x800000;
}

}  // namespace

const char* ToString(DecodeStatus status) {
  switch (status) {
    case DecodeStatus::kOk:
      return "ok";
    case DecodeStatus::kTruncated:
      return "truncated";
    case DecodeStatus::kTooLong:
      return "too long";
  }
  return "?";
}

std::size_t VarintSize(std::uint64_t value) {
  std::size_t n = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++n;
  }
  return n;
}

std::size_t EncodeVarint(std::uint64_t value, std::uint8_t* out) {
  return static_cast<std::size_t>(EncodeFast(value, out) - out);
}

VarintResult DecodeVarint(const std::uint8_t* data, std::size_t size) {
  return DecodeOne(data, size);
}

std::size_t EncodeVarintArray(const std::uint64_t* values, std::size_t count, std::uint8_t* out) {
  std::uint8_t* p = out;
  std::size_t i = 0;
  // Eight at a time: when all eight are below 128 (common for small values), one byte each.
  for (; i + 8 <= count; i += 8) {
    const std::uint64_t* v = values + i;
    if ((v[0] | v[1] | v[2] | v[3] | v[4] | v[5] | v[6] | v[7]) < 0x80) {
      for (int j = 0; j < 8; ++j) p[j] = static_cast<std::uint8_t>(v[j]);
      p += 8;
    } else if constexpr (std::endian::native == std::endian::little) {
      // Every earlier value took >= 1 byte, so 10 bytes from p stay inside count * 10. Long
      // values (6 to 10 bytes) vary in length and go branchless; shorter ones take the loop, whose
      // exit is well predicted when lengths repeat.
      for (int j = 0; j < 8; ++j) {
        p = v[j] >= (std::uint64_t{1} << 35) ? EncodeBranchless(v[j], p) : EncodeFast(v[j], p);
      }
    } else {
      for (int j = 0; j < 8; ++j) p = EncodeFast(v[j], p);
    }
  }
  for (; i < count; ++i) p = EncodeFast(values[i], p);
  return static_cast<std::size_t>(p - out);
}

std::size_t EncodeZigZagArray(const std::int64_t* values, std::size_t count, std::uint8_t* out) {
  std::uint8_t* p = out;
  for (std::size_t i = 0; i < count; ++i) p = EncodeFast(ZigZagEncode(values[i]), p);
  return static_cast<std::size_t>(p - out);
}

std::size_t EncodeFixedArray(const std::uint64_t* values, std::size_t count, unsigned width,
                             bool big_endian, std::uint8_t* out) {
  if (width == 4) {
    return big_endian ? EncodeFixedT<4, true>(values, count, out)
                      : EncodeFixedT<4, false>(values, count, out);
  }
  return big_endian ? EncodeFixedT<8, true>(values, count, out)
                    : EncodeFixedT<8, false>(values, count, out);
}

BulkResult DecodeVarintArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                             std::uint64_t* out) {
  BulkResult r;
  std::size_t pos = 0;
  std::uint64_t sum = 0;
  std::size_t i = 0;
  // Fast path while a whole maximal varint fits in the rest of the buffer.
  bool last_was_one_byte = true;
  while (i < count && size - pos >= kMaxVarintBytes) {
    // Eight single-byte values in a row (no continuation bit in eight bytes): no branches each.
    // Tried only after a one-byte value, so long values do not pay for the check.
    if (last_was_one_byte && count - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, data + pos, 8);
      if ((word & kHighBits) == 0) {
        for (std::size_t j = 0; j < 8; ++j) {
          out[i + j] = data[pos + j];
          sum += data[pos + j];
        }
        i += 8;
        pos += 8;
        continue;
      }
    }
    std::uint64_t value;
    const std::size_t n = DecodeUnchecked(data + pos, &value);
    if (n == 0) {
      r.status = DecodeStatus::kTooLong;
      break;
    }
    out[i++] = value;
    sum += value;
    pos += n;
    last_was_one_byte = n == 1;
  }
  while (r.status == DecodeStatus::kOk && i < count) {
    const VarintResult one = DecodeChecked(data + pos, size - pos);
    if (one.status != DecodeStatus::kOk) {
      r.status = one.status;
      break;
    }
    out[i++] = one.value;
    sum += one.value;
    pos += one.length;
  }
  r.values = i;
  r.bytes = pos;
  r.checksum = sum;
  return r;
}

BulkResult DecodeZigZagArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                             std::int64_t* out) {
  BulkResult r;
  std::size_t pos = 0;
  std::uint64_t sum = 0;
  std::size_t i = 0;
  while (i < count) {
    VarintResult one = DecodeOne(data + pos, size - pos);
    if (one.status != DecodeStatus::kOk) {
      r.status = one.status;
      break;
    }
    out[i++] = ZigZagDecode(one.value);
    sum += one.value;
    pos += one.length;
  }
  r.values = i;
  r.bytes = pos;
  r.checksum = sum;
  return r;
}

BulkResult DecodeFixedArray(const std::uint8_t* data, std::size_t size, std::size_t count,
                            unsigned width, bool big_endian, std::uint64_t* out) {
  if (width == 4) {
    return big_endian ? DecodeFixedT<4, true>(data, size, count, out)
                      : DecodeFixedT<4, false>(data, size, count, out);
  }
  return big_endian ? DecodeFixedT<8, true>(data, size, count, out)
                    : DecodeFixedT<8, false>(data, size, count, out);
}

std::size_t PackInt24(const std::int32_t* values, std::size_t count, std::uint8_t* out) {
  for (std::size_t i = 0; i < count; ++i) {
    const auto u = static_cast<std::uint32_t>(values[i]);
    out[3 * i] = static_cast<std::uint8_t>(u);
    out[3 * i + 1] = static_cast<std::uint8_t>(u >> 8);
    out[3 * i + 2] = static_cast<std::uint8_t>(u >> 16);
  }
  return 3 * count;
}

BulkResult UnpackInt24(const std::uint8_t* data, std::size_t size, std::size_t count,
                       std::int32_t* out) {
  BulkResult r;
  const std::size_t fit = size / 3;
  const std::size_t n = count < fit ? count : fit;
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = LoadInt24(data + 3 * i);
    sum += static_cast<std::uint64_t>(static_cast<std::int64_t>(out[i]));
  }
  r.values = n;
  r.bytes = 3 * n;
  r.checksum = sum;
  if (n < count) r.status = DecodeStatus::kTruncated;
  return r;
}

std::int64_t SumPackedInt24(const std::uint8_t* data, std::size_t count) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += LoadInt24(data + 3 * i);
  return sum;
}

std::int64_t SumInt32(const std::int32_t* values, std::size_t count) {
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < count; ++i) sum += values[i];
  return sum;
}

}  // namespace sysbench::kernels
