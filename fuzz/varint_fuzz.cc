// libFuzzer target: the varint, zigzag, fixed and int24 decoders on arbitrary bytes. They must
// never read past the end (ASan), and whatever decodes must re-encode to the same values.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "topics/serialize/kernels/serialize_codec.h"

namespace k = sysbench::kernels;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const k::VarintResult one = k::DecodeVarint(data, size);
  if (one.status == k::DecodeStatus::kOk) {
    if (one.length == 0 || one.length > k::kMaxVarintBytes || one.length > size) std::abort();
    std::uint8_t again[k::kMaxVarintBytes];
    const std::size_t n = k::EncodeVarint(one.value, again);
    const k::VarintResult back = k::DecodeVarint(again, n);
    if (back.status != k::DecodeStatus::kOk || back.value != one.value || n > one.length) {
      std::abort();
    }
  }
  // As many values as there could be (one per byte), so the decoder runs into the end.
  const std::size_t count = size + 1;
  std::vector<std::uint64_t> values(count);
  const k::BulkResult all = k::DecodeVarintArray(data, size, count, values.data());
  if (all.bytes > size || all.values > count) std::abort();
  if (all.values > 0) {
    std::vector<std::uint8_t> wire(all.values * k::kMaxVarintBytes);
    const std::size_t n = k::EncodeVarintArray(values.data(), all.values, wire.data());
    std::vector<std::uint64_t> back(all.values);
    const k::BulkResult again = k::DecodeVarintArray(wire.data(), n, all.values, back.data());
    if (again.status != k::DecodeStatus::kOk ||
        back != std::vector<std::uint64_t>(
                    values.begin(), values.begin() + static_cast<std::ptrdiff_t>(all.values))) {
      std::abort();
    }
  }
  std::vector<std::int64_t> signed_values(count);
  const k::BulkResult zz = k::DecodeZigZagArray(data, size, count, signed_values.data());
  if (zz.bytes > size) std::abort();
  for (unsigned width : {4u, 8u}) {
    for (bool be : {false, true}) {
      const k::BulkResult fixed = k::DecodeFixedArray(data, size, count, width, be, values.data());
      if (fixed.bytes > size) std::abort();
    }
  }
  std::vector<std::int32_t> i24(count);
  const k::BulkResult unpacked = k::UnpackInt24(data, size, count, i24.data());
  if (unpacked.bytes > size) std::abort();
  return 0;
}
