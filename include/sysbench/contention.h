// How much of the machine others took while a case ran: other processes' CPU time and the
// hypervisor's steal, from /proc/stat and this process's own CPU time.
#pragma once

#include <chrono>
#include <optional>

#include "sysbench/result.h"

namespace sysbench {

class ContentionProbe {
 public:
  ContentionProbe();
  // What others did since the construction or the previous Lap; nullopt where /proc/stat cannot
  // be read (not Linux) or the interval is too short to say (under 20 ms).
  std::optional<Contention> Lap();

 private:
  struct Reading {
    bool ok = false;
    double busy_s = 0, total_s = 0, steal_s = 0;  // all CPUs, from /proc/stat
    double own_s = 0;                             // this process's user + system time
    std::chrono::steady_clock::time_point when;
  };
  static Reading Read();
  Reading last_;
};

}  // namespace sysbench
