#include "sysbench/command.h"

namespace sysbench {
namespace {

// The user's value when given, else the command's default for this mode, else the global one.
template <typename T>
T Choose(bool user_set, T global, const std::optional<ByMode<T>>& own, bool quick) {
  return !user_set && own ? own->For(quick) : global;
}

}  // namespace

TimingOptions RunContext::Timing(const TimingDefaults& defaults) const {
  TimingOptions options;
  options.repetitions =
      Choose(config.RepetitionsSet(), config.Repetitions(), defaults.repetitions, config.quick);
  options.min_time = Choose(config.MinTimeSet(), config.MinTime(), defaults.min_time, config.quick);
  options.warmup = Choose(config.WarmupSet(), config.Warmup(), defaults.warmup, config.quick);
  return options;
}

Runner RunContext::MakeRunner(const TimingDefaults& defaults) const {
  return Runner(Timing(defaults), &notes);
}

}  // namespace sysbench
