#include "topics/disk/cases.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "sysbench/error.h"
#include "sysbench/stats.h"

namespace sysbench::disk {

const std::vector<Pattern>& AllPatterns() {
  static const std::vector<Pattern> patterns = {{"read", false, false},
                                                {"randread", false, true},
                                                {"write", true, false},
                                                {"randwrite", true, true}};
  return patterns;
}

bool Plan::Has(const std::string& family) const {
  return std::find(families.begin(), families.end(), family) != families.end();
}

void CaseContext::Emit(Result result) {
  kept.push_back(result);
  sink.Emit(std::move(result));
}

JobSpec CaseContext::Spec(int fd, const Pattern& pattern, std::uint64_t block) const {
  JobSpec spec;
  spec.fd = fd;
  spec.write = pattern.write;
  spec.random = pattern.random;
  spec.block = block;
  spec.region = target.Bytes() / block * block;
  spec.slices = plan.slices;
  spec.slice_seconds = plan.slice_seconds;
  spec.warmup_seconds = plan.warmup_seconds;
  spec.alignment = std::max<std::size_t>(4096, target.Facts().logical_block);
  spec.seed = block * 7919 + (pattern.write ? 2 : 1) + (pattern.random ? 4 : 0);
  return spec;
}

Fd CaseContext::OpenDirect(bool& direct) const {
  Fd fd = target.Open(O_DIRECT);
  direct = fd.Valid();
  if (direct) return fd;
  const int error = errno;
  notes.Warn("'" + target.Path() + "' refused O_DIRECT (" + std::strerror(error) +
             "): the sweep and depth cases read and write through the page cache");
  fd = target.Open(0);
  if (!fd.Valid()) throw SystemError("open '" + target.Path() + "'", errno);
  return fd;
}

std::string BlockLabel(std::uint64_t bytes) {
  if (bytes >= (1u << 20) && bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + "M";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + "K";
  return std::to_string(bytes);
}

void AddLatency(Result& r, const std::vector<double>& latency_ns, const std::string& prefix) {
  if (latency_ns.empty()) return;
  std::vector<double> us(latency_ns.size());
  std::transform(latency_ns.begin(), latency_ns.end(), us.begin(),
                 [](double ns) { return ns / 1e3; });
  std::sort(us.begin(), us.end());
  const auto add = [&](const std::string& name, double value) {
    r.Add(Measured(prefix + "_" + name + "_us", value, "us", Better::kLower));
  };
  add("p50", Percentile(us, 50));
  add("p90", Percentile(us, 90));
  add("p99", Percentile(us, 99));
  add("p999", Percentile(us, 99.9));
  add("max", us.back());
}

void AddThroughput(Result& r, const JobResult& job, std::uint64_t bytes_per_op) {
  r.AddSampled("iops", job.slice_iops, "IOPS", Better::kHigher);
  const double iops = job.seconds > 0 ? static_cast<double>(job.ops) / job.seconds : 0;
  r.Add(Measured("iops_overall", iops, "IOPS", Better::kHigher));
  r.Add(Computed("mbps", iops * static_cast<double>(bytes_per_op) / 1e6, "MB/s", Better::kHigher));
  r.Add(Count("ops", job.ops));
  AddLatency(r, job.latency_ns, "lat");
}

}  // namespace sysbench::disk
