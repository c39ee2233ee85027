#include "topics/train/data_files.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bit>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>

#include "sysbench/error.h"
#include "sysbench/units.h"

namespace sysbench::train {
namespace {

static_assert(std::endian::native == std::endian::little, "the columnar layout is little-endian");

constexpr std::uint64_t kMaxFeatures = 4096;

// Far above the data sets train makes (--samples up to millions of rows), far below memory.
constexpr std::uint64_t kMaxDataFileBytes = std::uint64_t{4} << 30;

UsageError BadFile(const std::string& path, const std::string& why) {
  return UsageError("--data " + path + ": " + why);
}

std::uint64_t Stride(std::uint64_t rows, std::uint64_t value_bytes) {
  return (rows * value_bytes + 63) / 64 * 64;
}

// A read-only mapping of a whole file, unmapped by the destructor.
class MappedFile {
 public:
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw BadFile(path, std::strerror(errno));
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd);
      throw BadFile(path, "not a regular file");
    }
    size_ = static_cast<std::size_t>(st.st_size);
    if (size_ > 0) {
      void* p = ::mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
      if (p == MAP_FAILED) {
        const int e = errno;
        ::close(fd);
        throw SystemError("mmap " + path, e);
      }
      data_ = static_cast<const unsigned char*>(p);
    }
    ::close(fd);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), size_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const unsigned char* Data() const { return data_; }
  std::size_t Size() const { return size_; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t size_ = 0;
};

struct ColumnarHeader {
  std::uint32_t version = 0;
  std::uint32_t value_bytes = 0;
  std::uint64_t rows = 0;
  std::uint64_t features = 0;
  std::uint64_t stride = 0;
};

template <typename I>
I ReadLe(const unsigned char* p) {
  I v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

ColumnarHeader CheckColumnar(const MappedFile& file, const std::string& path) {
  if (file.Size() < kColumnarHeader) throw BadFile(path, "truncated (no complete header)");
  ColumnarHeader h;
  h.version = ReadLe<std::uint32_t>(file.Data() + 8);
  h.value_bytes = ReadLe<std::uint32_t>(file.Data() + 12);
  h.rows = ReadLe<std::uint64_t>(file.Data() + 16);
  h.features = ReadLe<std::uint64_t>(file.Data() + 24);
  h.stride = ReadLe<std::uint64_t>(file.Data() + 32);
  if (h.version != 1)
    throw BadFile(path, "layout version " + std::to_string(h.version) + " unknown");
  if (h.value_bytes != 4 && h.value_bytes != 8) throw BadFile(path, "value size is not 4 or 8");
  if (h.rows < 2 || h.rows > (std::uint64_t{1} << 32)) throw BadFile(path, "bad row count");
  if (h.features < 1 || h.features > kMaxFeatures) throw BadFile(path, "bad feature count");
  if (h.stride != Stride(h.rows, h.value_bytes)) throw BadFile(path, "bad column stride");
  const std::uint64_t expected = kColumnarHeader + (h.features + 1) * h.stride;
  if (file.Size() < expected) {
    throw BadFile(path, "truncated (" + std::to_string(file.Size()) + " of " +
                            std::to_string(expected) + " bytes)");
  }
  if (file.Size() > expected) throw BadFile(path, "longer than its header says");
  return h;
}

template <typename T, typename V>
void Transpose(const unsigned char* columns, const ColumnarHeader& h, Dataset<T>& d) {
  const std::size_t f = d.features;
  for (std::size_t j = 0; j <= f; ++j) {
    const unsigned char* col = columns + j * h.stride;
    for (std::size_t i = 0; i < d.count; ++i) {
      const T v = static_cast<T>(ReadLe<V>(col + i * sizeof(V)));
      if (j < f) {
        d.x[i * f + j] = v;
      } else {
        d.y[i] = v;
      }
    }
  }
}

bool IsNumberChar(char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
}

}  // namespace

template <typename T>
void SaveCsv(const Dataset<T>& data, const std::string& path) {
  std::FILE* out = std::fopen(path.c_str(), "w");
  if (out == nullptr) throw SystemError("cannot write " + path, errno);
  std::string line;
  for (std::size_t j = 0; j < data.features; ++j) {
    line += 'x';
    line += std::to_string(j + 1);
    line += ',';
  }
  line += "y\n";
  std::fputs(line.c_str(), out);
  char buf[40];
  for (std::size_t i = 0; i < data.count; ++i) {
    line.clear();
    for (std::size_t j = 0; j <= data.features; ++j) {
      const T v = j < data.features ? data.x[i * data.features + j] : data.y[i];
      const auto end = std::to_chars(buf, buf + sizeof(buf), v);  // shortest round trip
      line.append(buf, end.ptr);
      line += j < data.features ? ',' : '\n';
    }
    std::fputs(line.c_str(), out);
  }
  const bool failed = std::ferror(out) != 0;
  if (std::fclose(out) != 0 || failed) throw SystemError("cannot write " + path, errno);
}

template <typename T>
void SaveColumnar(const Dataset<T>& data, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw SystemError("cannot write " + path, errno);
  unsigned char header[kColumnarHeader] = {};
  std::memcpy(header, kColumnarMagic, 8);
  const std::uint32_t version = 1, value_bytes = sizeof(T);
  const std::uint64_t rows = data.count, features = data.features;
  const std::uint64_t stride = Stride(rows, sizeof(T));
  std::memcpy(header + 8, &version, 4);
  std::memcpy(header + 12, &value_bytes, 4);
  std::memcpy(header + 16, &rows, 8);
  std::memcpy(header + 24, &features, 8);
  std::memcpy(header + 32, &stride, 8);
  out.write(reinterpret_cast<const char*>(header), sizeof(header));
  std::vector<T> column(stride / sizeof(T), T{0});
  for (std::size_t j = 0; j <= data.features; ++j) {
    for (std::size_t i = 0; i < data.count; ++i) {
      column[i] = j < data.features ? data.x[i * data.features + j] : data.y[i];
    }
    out.write(reinterpret_cast<const char*>(column.data()), static_cast<std::streamsize>(stride));
  }
  out.close();
  if (!out) throw SystemError("cannot write " + path, errno);
}

template <typename T>
Dataset<T> LoadColumnar(const std::string& path) {
  const MappedFile file(path);
  if (file.Size() < 8 || std::memcmp(file.Data(), kColumnarMagic, 8) != 0) {
    throw BadFile(path, "not a sysbench train columnar file (no SBTRAIN1 magic)");
  }
  const ColumnarHeader h = CheckColumnar(file, path);
  Dataset<T> d;
  d.count = static_cast<std::size_t>(h.rows);
  d.features = static_cast<std::size_t>(h.features);
  d.x.resize(d.count * d.features);
  d.y.resize(d.count);
  const unsigned char* columns = file.Data() + kColumnarHeader;
  if (h.value_bytes == 4) {
    Transpose<T, float>(columns, h, d);
  } else {
    Transpose<T, double>(columns, h, d);
  }
  for (std::size_t i = 0; i < d.count; ++i) {
    if (!std::isfinite(static_cast<double>(d.y[i]))) throw BadFile(path, "y is not finite");
  }
  return d;
}

template <typename T>
Dataset<T> LoadCsv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw BadFile(path, "cannot open");
  std::string line;
  if (!std::getline(in, line)) throw BadFile(path, "empty");
  const std::vector<std::string> names = Split(line, ',');
  const bool ours = names.size() >= 2 && names.size() <= kMaxFeatures + 1 && names.back() == "y" &&
                    std::all_of(names.begin(), names.end() - 1,
                                [](const std::string& n) { return !n.empty() && n[0] == 'x'; });
  if (!ours) {
    throw BadFile(path, "neither the binary layout nor a CSV with a header x1,...,xN,y");
  }
  Dataset<T> d;
  d.features = names.size() - 1;
  std::size_t line_no = 1;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty()) continue;
    const char* p = line.data();
    const char* end = p + line.size();
    for (std::size_t j = 0; j <= d.features; ++j) {
      double v = 0;
      const auto [next, ec] = std::from_chars(p, end, v);
      const bool sep_ok = j < d.features ? (next < end && *next == ',') : next == end;
      if (ec != std::errc() || !sep_ok || !std::isfinite(v) || !IsNumberChar(*p)) {
        throw BadFile(path, "line " + std::to_string(line_no) + ": expected " +
                                std::to_string(d.features + 1) + " finite numbers");
      }
      (j < d.features ? d.x : d.y).push_back(static_cast<T>(v));
      p = next + 1;
    }
    ++d.count;
  }
  if (d.count < 2) throw BadFile(path, "fewer than 2 samples");
  return d;
}

template <typename T>
Dataset<T> LoadDataFile(const std::string& path) {
  // Only a regular file of bounded size: a device such as /dev/zero or a fifo would be read
  // forever.
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw BadFile(path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw BadFile(path, "not a regular file (a device, fifo or directory)");
  if (static_cast<std::uint64_t>(st.st_size) > kMaxDataFileBytes) {
    throw BadFile(path, "larger than the limit of " +
                            FormatBytes(static_cast<double>(kMaxDataFileBytes)) +
                            " for data files");
  }
  char magic[8] = {};
  {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadFile(path, "cannot open");
    in.read(magic, sizeof(magic));
  }
  if (std::memcmp(magic, kColumnarMagic, 8) == 0) return LoadColumnar<T>(path);
  return LoadCsv<T>(path);
}

std::size_t DataFileRows(const std::string& path) { return LoadDataFile<double>(path).count; }

template void SaveCsv<float>(const Dataset<float>&, const std::string&);
template void SaveCsv<double>(const Dataset<double>&, const std::string&);
template void SaveColumnar<float>(const Dataset<float>&, const std::string&);
template void SaveColumnar<double>(const Dataset<double>&, const std::string&);
template Dataset<float> LoadDataFile<float>(const std::string&);
template Dataset<double> LoadDataFile<double>(const std::string&);
template Dataset<float> LoadCsv<float>(const std::string&);
template Dataset<double> LoadCsv<double>(const std::string&);
template Dataset<float> LoadColumnar<float>(const std::string&);
template Dataset<double> LoadColumnar<double>(const std::string&);

}  // namespace sysbench::train
