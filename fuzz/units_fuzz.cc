// libFuzzer target: the parsers of option values that are sizes and lists (ParseSize,
// ParseIntList, ParseNameList). Bad text must end in UsageError; what they accept must lie in the
// range they were given.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "sysbench/error.h"
#include "sysbench/units.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const std::uint64_t max = std::uint64_t{1} << 40;
    if (sysbench::ParseSize(text, "--size", max, true) > max) std::abort();
  } catch (const sysbench::UsageError&) {
  }
  try {
    for (std::int64_t v : sysbench::ParseIntList(text, "--cpus", -5, 4095)) {
      if (v < -5 || v > 4095) std::abort();
    }
  } catch (const sysbench::UsageError&) {
  }
  try {
    const std::vector<std::string> allowed = {"all", "a", "bb", "c-c"};
    for (const std::string& name : sysbench::ParseNameList(text, "--op", allowed)) {
      if (name != "all" && name != "a" && name != "bb" && name != "c-c") std::abort();
    }
  } catch (const sysbench::UsageError&) {
  }
  return 0;
}
