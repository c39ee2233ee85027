#include "topics/flops/amx_permission.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sysbench {
namespace {

// From the kernel's arch/x86/include/uapi/asm/prctl.h and the XSAVE feature numbers.
constexpr int kArchReqXcompPerm = 0x1023;
constexpr unsigned long kXfeatureXtiledata = 18;

struct Answer {
  bool granted = false;
  std::string why;
};

Answer Ask() {
#if defined(__linux__) && defined(__x86_64__)
  if (syscall(SYS_arch_prctl, kArchReqXcompPerm, kXfeatureXtiledata) == 0) return {true, ""};
  return {false, std::string("Linux refused AMX tile data (arch_prctl ARCH_REQ_XCOMP_PERM: ") +
                     std::strerror(errno) + ")"};
#else
  return {false, "AMX needs Linux's arch_prctl permission on x86-64"};
#endif
}

}  // namespace

bool RequestAmxPermission(std::string& why) {
  static const Answer answer = Ask();
  why = answer.why;
  return answer.granted;
}

}  // namespace sysbench
