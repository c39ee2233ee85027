#include "topics/layout/kernels/layout.h"

#include <algorithm>
#include <cstring>
#include <random>

namespace sysbench::kernels {

double SumByRows(const double* m, std::size_t n) {
  // Four accumulators so the adds do not wait on each other (same order for every run).
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const std::size_t total = n * n;
  std::size_t i = 0;
  for (; i + 4 <= total; i += 4) {
    s0 += m[i];
    s1 += m[i + 1];
    s2 += m[i + 2];
    s3 += m[i + 3];
  }
  for (; i < total; ++i) s0 += m[i];
  return (s0 + s1) + (s2 + s3);
}

double SumByColumns(const double* m, std::size_t n) {
  // Four columns at a time, so the adds overlap as in SumByRows; each load is n doubles from the
  // last one in the same column.
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    for (std::size_t i = 0; i < n; ++i) {
      const double* row = m + i * n + j;
      s0 += row[0];
      s1 += row[1];
      s2 += row[2];
      s3 += row[3];
    }
  }
  for (; j < n; ++j) {
    for (std::size_t i = 0; i < n; ++i) s0 += m[i * n + j];
  }
  return (s0 + s1) + (s2 + s3);
}

void Transpose(const double* m, double* out, std::size_t n) {
  constexpr std::size_t kTile = 32;
  for (std::size_t ii = 0; ii < n; ii += kTile) {
    const std::size_t i_end = std::min(ii + kTile, n);
    for (std::size_t jj = 0; jj < n; jj += kTile) {
      const std::size_t j_end = std::min(jj + kTile, n);
      for (std::size_t i = ii; i < i_end; ++i) {
        for (std::size_t j = jj; j < j_end; ++j) out[j * n + i] = m[i * n + j];
      }
    }
  }
}

double SumMassAos(const Particle* p, std::size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += p[i].mass;
    s1 += p[i + 1].mass;
    s2 += p[i + 2].mass;
    s3 += p[i + 3].mass;
  }
  for (; i < n; ++i) s0 += p[i].mass;
  return (s0 + s1) + (s2 + s3);
}

double SumMassSoa(const double* mass, std::size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    s0 += mass[i];
    s1 += mass[i + 1];
    s2 += mass[i + 2];
    s3 += mass[i + 3];
  }
  for (; i < n; ++i) s0 += mass[i];
  return (s0 + s1) + (s2 + s3);
}

PointerStrings::PointerStrings(const std::vector<std::optional<std::string>>& values) {
  items_.reserve(values.size());
  for (const auto& v : values) {
    items_.push_back(v ? std::make_unique<std::string>(*v) : nullptr);
  }
}

std::uint64_t PointerStrings::Bytes() const {
  constexpr std::size_t kSmall = std::string().capacity();  // small-string capacity
  std::uint64_t bytes = items_.size() * sizeof(void*);
  for (const auto& p : items_) {
    if (!p) continue;
    bytes += sizeof(std::string);
    if (p->capacity() > kSmall) bytes += p->capacity() + 1;
  }
  return bytes;
}

InlineStrings::InlineStrings(const std::vector<std::optional<std::string>>& values,
                             std::size_t width)
    : data_(values.size() * width, '\0'), width_(width), count_(values.size()) {
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!values[i]) continue;
    const std::size_t n = std::min(values[i]->size(), width);
    if (n < values[i]->size()) ++truncated_;
    std::memcpy(data_.data() + i * width, values[i]->data(), n);
  }
}

std::size_t InlineStrings::Length(std::size_t i) const {
  const char* slot = Slot(i);
  const void* nul = std::memchr(slot, '\0', width_);
  return nul == nullptr ? width_ : static_cast<std::size_t>(static_cast<const char*>(nul) - slot);
}

ArrowStrings::ArrowStrings(const std::vector<std::optional<std::string>>& values)
    : count_(values.size()), validity_((values.size() + 7) / 8, 0), offsets_(values.size() + 1, 0) {
  std::size_t total = 0;
  for (const auto& v : values) total += v ? v->size() : 0;
  data_.reserve(total);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i]) {
      validity_[i / 8] = static_cast<std::uint8_t>(validity_[i / 8] | (1u << (i % 8)));
      data_.insert(data_.end(), values[i]->begin(), values[i]->end());
    }
    offsets_[i + 1] = static_cast<std::int32_t>(data_.size());
  }
}

std::uint64_t ArrowStrings::Bytes() const {
  auto padded = [](std::uint64_t b) { return (b + 63) / 64 * 64; };
  return padded(validity_.size()) + padded(offsets_.size() * sizeof(std::int32_t)) +
         padded(data_.size());
}

template <typename Store>
std::uint64_t ScanSumLengths(const Store& s) {
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < s.Size(); ++i) sum += s.Length(i);
  return sum;
}

template <typename Store>
std::uint64_t ScanCountMatches(const Store& s, char byte) {
  std::uint64_t count = 0;
  for (std::size_t i = 0; i < s.Size(); ++i) {
    if (s.IsNull(i)) continue;
    const std::string_view v = s.View(i);
    count += v.find(byte) != std::string_view::npos;
  }
  return count;
}

template <typename Store>
std::uint64_t RandomRead(const Store& s, const std::vector<std::uint32_t>& indices) {
  std::uint64_t sum = 0;
  for (std::uint32_t i : indices) {
    for (char c : s.View(i)) sum += static_cast<unsigned char>(c);
  }
  return sum;
}

template <typename Store>
std::uint64_t RandomLength(const Store& s, const std::vector<std::uint32_t>& indices) {
  std::uint64_t sum = 0;
  for (std::uint32_t i : indices) sum += s.Length(i);
  return sum;
}

#define SYSBENCH_LAYOUT_INSTANTIATE(Store)                                                   \
  template std::uint64_t ScanSumLengths<Store>(const Store&);                                \
  template std::uint64_t ScanCountMatches<Store>(const Store&, char);                        \
  template std::uint64_t RandomRead<Store>(const Store&, const std::vector<std::uint32_t>&); \
  template std::uint64_t RandomLength<Store>(const Store&, const std::vector<std::uint32_t>&);
SYSBENCH_LAYOUT_INSTANTIATE(PointerStrings)
SYSBENCH_LAYOUT_INSTANTIATE(InlineStrings)
SYSBENCH_LAYOUT_INSTANTIATE(ArrowStrings)
#undef SYSBENCH_LAYOUT_INSTANTIATE

std::vector<std::optional<std::string>> MakeStrings(std::size_t count, std::size_t max_length,
                                                    int null_percent, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<std::size_t> length(0, max_length);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::uniform_int_distribution<int> percent(0, 99);
  std::vector<std::optional<std::string>> values;
  values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    if (percent(rng) < null_percent) {
      values.emplace_back(std::nullopt);
      continue;
    }
    std::string s(length(rng), ' ');
    for (char& c : s) c = static_cast<char>(letter(rng));
    values.emplace_back(std::move(s));
  }
  return values;
}

}  // namespace sysbench::kernels
