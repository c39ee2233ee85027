// libFuzzer target: time values and whole numbers of options (ParseSeconds, ParseInt). Bad text
// must end in UsageError; what they accept must be finite and inside the range given.
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sysbench/error.h"
#include "sysbench/units.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const double s = sysbench::ParseSeconds(text, "--min-time", 1e-4, 60);
    if (!std::isfinite(s) || s < 1e-4 || s > 60) std::abort();
  } catch (const sysbench::UsageError&) {
  }
  try {
    const double s = sysbench::ParseSeconds(text, "--warmup", 0, 60);
    if (!std::isfinite(s) || s < 0 || s > 60) std::abort();
  } catch (const sysbench::UsageError&) {
  }
  try {
    const std::int64_t v = sysbench::ParseInt(text, "--count", -7, 10000000);
    if (v < -7 || v > 10000000) std::abort();
  } catch (const sysbench::UsageError&) {
  }
  return 0;
}
