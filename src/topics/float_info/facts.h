// The facts float-info reports, one Result per type; pure functions so tests can check them.
#pragma once

#include <string_view>
#include <vector>

#include "sysbench/result.h"

namespace sysbench {

// float16, bfloat16, float32, float64, long double: limits, bit patterns, the seed's Inf/NaN rules
// computed on this CPU, and the empirical epsilon and subnormal checks.
std::vector<Result> FloatTypeFacts();
// int8 ... uint64: bits, bytes, min, max.
std::vector<Result> IntegerTypeFacts();
// Which instruction sets this CPU offers for each type, and the MXCSR FTZ/DAZ state.
std::vector<Result> HardwareFacts();
// How `text` (a decimal or hex float) is stored in each float type. Throws UsageError if it is
// not a number.
std::vector<Result> ValueFacts(std::string_view text);

}  // namespace sysbench
