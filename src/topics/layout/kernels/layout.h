// Data layouts and the loops that read them: a row-major matrix summed by rows and by columns,
// strings stored as pointers, inline slots or Arrow-style buffers, and structs of arrays.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sysbench::kernels {

// ---- rows vs columns (n x n doubles, row-major) ----
// Sum of every element, visiting row after row (address order).
double SumByRows(const double* m, std::size_t n);
// Sum of every element, visiting column after column (a stride of n doubles).
double SumByColumns(const double* m, std::size_t n);
// out = transpose(m), in 32 x 32 tiles so both sides stay in cache.
void Transpose(const double* m, double* out, std::size_t n);

// ---- array of structs vs struct of arrays ----
struct Particle {  // 64 bytes: one cache line
  double x, y, z, vx, vy, vz, mass;
  std::int64_t id;
};
struct Particles {  // the same fields, one array each
  std::vector<double> x, y, z, vx, vy, vz, mass;
  std::vector<std::int64_t> id;
};
double SumMassAos(const Particle* p, std::size_t n);
double SumMassSoa(const double* mass, std::size_t n);

// ---- strings ----
// The three stores share one interface: Size, IsNull, Length, View.
class PointerStrings {  // an array of pointers to heap std::string objects; nullptr = null
 public:
  explicit PointerStrings(const std::vector<std::optional<std::string>>& values);
  std::size_t Size() const { return items_.size(); }
  bool IsNull(std::size_t i) const { return items_[i] == nullptr; }
  std::size_t Length(std::size_t i) const { return items_[i] ? items_[i]->size() : 0; }
  std::string_view View(std::size_t i) const {
    return items_[i] ? std::string_view(*items_[i]) : std::string_view();
  }
  // Pointer + string object + heap buffer (when longer than the small-string capacity); allocator
  // headers are not counted.
  std::uint64_t Bytes() const;

 private:
  std::vector<std::unique_ptr<std::string>> items_;
};

class InlineStrings {  // fixed slots of `width` bytes, NUL-padded: no nulls, at most width chars
 public:
  InlineStrings(const std::vector<std::optional<std::string>>& values, std::size_t width);
  std::size_t Size() const { return count_; }
  bool IsNull(std::size_t) const { return false; }  // a null is stored as ""
  std::size_t Length(std::size_t i) const;          // scans the slot for its first NUL
  std::string_view View(std::size_t i) const { return {Slot(i), Length(i)}; }
  std::uint64_t Bytes() const { return data_.size(); }
  std::size_t Width() const { return width_; }
  // Strings cut to fit the width when built.
  std::size_t Truncated() const { return truncated_; }

 private:
  const char* Slot(std::size_t i) const { return data_.data() + i * width_; }
  std::vector<char> data_;
  std::size_t width_ = 0;
  std::size_t count_ = 0;
  std::size_t truncated_ = 0;
};

class ArrowStrings {  // validity bitmap, int32 offsets (n + 1), one data buffer
 public:
  explicit ArrowStrings(const std::vector<std::optional<std::string>>& values);
  std::size_t Size() const { return count_; }
  bool IsNull(std::size_t i) const {
    return ((static_cast<unsigned>(validity_[i / 8]) >> (i % 8)) & 1u) == 0;
  }
  std::size_t Length(std::size_t i) const {
    return static_cast<std::size_t>(offsets_[i + 1] - offsets_[i]);
  }
  std::string_view View(std::size_t i) const { return {data_.data() + offsets_[i], Length(i)}; }
  // Buffers padded to 64 bytes as Arrow does.
  std::uint64_t Bytes() const;
  const std::vector<std::uint8_t>& Validity() const { return validity_; }
  const std::vector<std::int32_t>& Offsets() const { return offsets_; }
  const std::vector<char>& Data() const { return data_; }

 private:
  std::size_t count_ = 0;
  std::vector<std::uint8_t> validity_;
  std::vector<std::int32_t> offsets_;
  std::vector<char> data_;
};

// The measured operations, one per store type (templates instantiated in layout.cc).
// Sum of Length over all strings, in order (nulls count 0).
template <typename Store>
std::uint64_t ScanSumLengths(const Store& s);
// Number of non-null strings that contain `byte`, in order.
template <typename Store>
std::uint64_t ScanCountMatches(const Store& s, char byte);
// At the given indices: sum of the bytes of each string (reads the whole string).
template <typename Store>
std::uint64_t RandomRead(const Store& s, const std::vector<std::uint32_t>& indices);
// At the given indices: sum of Length.
template <typename Store>
std::uint64_t RandomLength(const Store& s, const std::vector<std::uint32_t>& indices);

// Deterministic test data: `count` strings of 0 .. max_length lower-case letters, about
// null_percent of them null.
std::vector<std::optional<std::string>> MakeStrings(std::size_t count, std::size_t max_length,
                                                    int null_percent, std::uint64_t seed);

}  // namespace sysbench::kernels
