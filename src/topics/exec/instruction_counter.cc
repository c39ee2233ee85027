#include "topics/exec/instruction_counter.h"

#include <linux/perf_event.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sysbench {
namespace {

std::string Paranoid() {
  std::ifstream in("/proc/sys/kernel/perf_event_paranoid");
  std::string level;
  return in >> level ? level : "unknown";
}

std::string Explain(int error) {
  switch (error) {
    case ENOENT:
    case EOPNOTSUPP:
      return "perf_event_open: no hardware instruction counter here (a hypervisor that hides "
             "the PMU, or a CPU the kernel does not know)";
    case EACCES:
    case EPERM:
      return "perf_event_open: not permitted (kernel.perf_event_paranoid=" + Paranoid() +
             ", or a seccomp filter such as a container's)";
    case ENOSYS:
      return "perf_event_open: the kernel has no perf events";
    default:
      return std::string("perf_event_open: ") + std::strerror(error);
  }
}

}  // namespace

InstructionCounter::InstructionCounter() {
  perf_event_attr attr;
  std::memset(&attr, 0, sizeof attr);
  attr.type = PERF_TYPE_HARDWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_HW_INSTRUCTIONS;
  attr.disabled = 1;
  attr.exclude_kernel = 1;
  attr.exclude_hv = 1;
  const long fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
  if (fd < 0) {
    reason_ = Explain(errno);
    return;
  }
  fd_ = static_cast<int>(fd);
}

InstructionCounter::~InstructionCounter() {
  if (fd_ >= 0) close(fd_);
}

void InstructionCounter::Start() {
  if (fd_ < 0) return;
  ioctl(fd_, PERF_EVENT_IOC_RESET, 0);
  ioctl(fd_, PERF_EVENT_IOC_ENABLE, 0);
}

std::uint64_t InstructionCounter::Stop() {
  if (fd_ < 0) return 0;
  ioctl(fd_, PERF_EVENT_IOC_DISABLE, 0);
  std::uint64_t count = 0;
  if (read(fd_, &count, sizeof count) != static_cast<ssize_t>(sizeof count)) return 0;
  return count;
}

}  // namespace sysbench
