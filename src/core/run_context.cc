#include "sysbench/command.h"

namespace sysbench {

TimingOptions RunContext::Timing() const {
  TimingOptions options;
  options.repetitions = config.Repetitions();
  options.min_time = config.MinTime();
  options.warmup = config.Warmup();
  return options;
}

Runner RunContext::MakeRunner() const { return Runner(Timing(), &notes); }

}  // namespace sysbench
