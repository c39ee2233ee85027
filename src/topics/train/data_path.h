// The data path of `sysbench train`: generate the data set, write it as CSV and as the binary
// columnar layout in a private temporary folder (removed on exit, error and signals), read both
// back and time each step.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sysbench/result.h"

namespace sysbench::train {

std::vector<Result> MeasureDataPath(std::uint64_t seed, std::size_t samples, std::size_t features);

}  // namespace sysbench::train
