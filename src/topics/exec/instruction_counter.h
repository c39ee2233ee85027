// Retired user-space instructions of the calling thread (perf_event_open), where the kernel and the
// hypervisor let a process count them. Many VMs hide the hardware counters: then Available() is
// false and Reason() says why, in words.
#pragma once

#include <cstdint>
#include <string>

namespace sysbench {

class InstructionCounter {
 public:
  InstructionCounter();
  ~InstructionCounter();
  InstructionCounter(const InstructionCounter&) = delete;
  InstructionCounter& operator=(const InstructionCounter&) = delete;

  bool Available() const { return fd_ >= 0; }
  const std::string& Reason() const { return reason_; }

  void Start();
  // Instructions since Start; 0 when the read fails.
  std::uint64_t Stop();

 private:
  int fd_ = -1;
  std::string reason_;
};

}  // namespace sysbench
