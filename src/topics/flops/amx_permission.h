// Linux hands out AMX tile state only on request: a process asks once (arch_prctl
// ARCH_REQ_XCOMP_PERM for XTILEDATA) before its first tile instruction, or that instruction faults.
#pragma once

#include <string>

namespace sysbench {

// True when this process may use AMX tiles (asked once, the answer kept); otherwise `why` says
// what refused it.
bool RequestAmxPermission(std::string& why);

}  // namespace sysbench
