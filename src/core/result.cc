#include "sysbench/result.h"

#include <cmath>

namespace sysbench {

Metric Measured(std::string name, MetricValue value, std::string unit, Better better) {
  return Metric{std::move(name), std::move(value), std::move(unit), better, Source::kMeasured};
}

Metric Count(std::string name, std::uint64_t value, Better better) {
  return Metric{std::move(name), value, "", better, Source::kMeasured};
}

Metric Fact(std::string name, MetricValue value, Source source, std::string unit) {
  return Metric{std::move(name), std::move(value), std::move(unit), Better::kNone, source};
}

Metric LookedUp(std::string name, MetricValue value, std::string unit) {
  return Fact(std::move(name), std::move(value), Source::kLookedUp, std::move(unit));
}

Metric Computed(std::string name, MetricValue value, std::string unit, Better better) {
  return Metric{std::move(name), std::move(value), std::move(unit), better, Source::kComputed};
}

Result& Result::Param(std::string key, std::string value) {
  params.emplace_back(std::move(key), std::move(value));
  return *this;
}

Result& Result::Add(Metric metric) {
  metrics.push_back(std::move(metric));
  return *this;
}

Result& Result::AddSampled(std::string name, std::vector<double> values, std::string unit,
                           Better better) {
  const double median = Median(values);
  samples = std::move(values);
  samples_metric = name;
  metrics.push_back(Measured(std::move(name), median, std::move(unit), better));
  return *this;
}

const Metric* Result::Find(const std::string& name) const {
  for (const Metric& metric : metrics) {
    if (metric.name == name) return &metric;
  }
  return nullptr;
}

Summary Result::SampleSummary() const { return Summarize(samples); }

bool Result::Unstable() const {
  return samples.size() >= 3 && SampleSummary().mdape > kUnstableMdapePercent;
}

bool Result::Contended() const {
  return contention && (contention->other_cpus >= kContendedOtherCpus ||
                        contention->steal_pct >= kContendedStealPercent);
}

const char* ToString(Better better) {
  switch (better) {
    case Better::kHigher:
      return "higher";
    case Better::kLower:
      return "lower";
    case Better::kNone:
      break;
  }
  return "";
}

const char* ToString(Source source) {
  switch (source) {
    case Source::kMeasured:
      return "measured";
    case Source::kLookedUp:
      return "lookup";
    case Source::kComputed:
      return "computed";
  }
  return "";
}

double AsDouble(const MetricValue& value) {
  if (const auto* d = std::get_if<double>(&value)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&value)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<std::uint64_t>(&value)) return static_cast<double>(*u);
  return std::nan("");
}

}  // namespace sysbench
