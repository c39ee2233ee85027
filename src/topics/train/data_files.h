// The data set on disk: CSV (header x1,...,xN,y, one sample per line) and a binary columnar layout
// that can be mapped and used in place (docs/train.md "Binary columnar layout"):
//   bytes  0..7   magic "SBTRAIN1"
//          8..11  u32 layout version (1)
//         12..15  u32 bytes per value (4: f32, 8: f64)
//         16..23  u64 rows
//         24..31  u64 features
//         32..39  u64 column stride in bytes (rows * value bytes rounded up to 64)
//         40..63  zero
//         64..    features + 1 columns (x1..xN, then y), column i at 64 + i * stride
// All integers and values little-endian. A file that is shorter or longer than its header says,
// or does not start with the magic and is not our CSV either, is refused (UsageError naming
// --data).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "topics/train/trainer.h"

namespace sysbench::train {

inline constexpr char kColumnarMagic[8] = {'S', 'B', 'T', 'R', 'A', 'I', 'N', '1'};
inline constexpr std::size_t kColumnarHeader = 64;

template <typename T>
void SaveCsv(const Dataset<T>& data, const std::string& path);
template <typename T>
void SaveColumnar(const Dataset<T>& data, const std::string& path);

// Either format, recognised by the magic; values converted to T.
template <typename T>
Dataset<T> LoadDataFile(const std::string& path);
template <typename T>
Dataset<T> LoadCsv(const std::string& path);
template <typename T>
Dataset<T> LoadColumnar(const std::string& path);

// Rows of a data file, after checking all of it (so bad files fail before anything is measured).
std::size_t DataFileRows(const std::string& path);

}  // namespace sysbench::train
