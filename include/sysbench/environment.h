// The run's surroundings: warnings that make numbers less trustworthy, and the JSON context.
#pragma once

#include "sysbench/config.h"
#include "sysbench/notes.h"
#include "sysbench/reporter.h"

namespace sysbench {

// Queues warnings (printed at the first result, see Notes::WarnLater) about an unoptimized build, a
// VM, a governor other than `performance`, and other load on the machine.
void WarnAboutEnvironment(Notes& notes);

// Facts for the JSON context; measures the core clock when measure_clock is true.
RunContextInfo BuildContextInfo(const RunConfig& config, const Notes& notes, bool measure_clock);

}  // namespace sysbench
