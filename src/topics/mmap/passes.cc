// The timed passes and metrics the mmap scenarios share.
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <numeric>

#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/stats.h"
#include "topics/mmap/kernels/mmap_kernels.h"
#include "topics/mmap/scenarios.h"

namespace sysbench::mmap_scenarios {

void AddPassMetrics(Result& r, const std::vector<Pass>& passes, double bytes, double pages,
                    bool with_gbps) {
  std::vector<double> gbps, ns, resident, unmap;
  std::vector<std::uint64_t> minor, major, rss, thp;
  for (const Pass& p : passes) {
    gbps.push_back(bytes / p.seconds / 1e9);
    ns.push_back(p.seconds * 1e9 / pages);
    minor.push_back(p.faults.minor);
    major.push_back(p.faults.major);
    rss.push_back(p.rss_after);
    thp.push_back(p.thp_bytes);
    if (p.resident_pct >= 0) resident.push_back(p.resident_pct);
    if (p.unmap_seconds >= 0) unmap.push_back(p.unmap_seconds * 1e9 / pages);
  }
  if (with_gbps) {
    r.AddSampled("gbps", gbps, "GB/s", Better::kHigher);
    r.Add(Computed("ns_per_page", Median(ns), "ns", Better::kLower));
  } else {
    r.AddSampled("ns_per_page", ns, "ns", Better::kLower);
  }
  r.Add(Count("minor_faults", Median(minor))).Add(Count("major_faults", Median(major)));
  if (!resident.empty()) r.Add(Measured("resident_pct", Median(resident), "%"));
  if (Median(rss) > 0) r.Add(Measured("rss_bytes", Median(rss), "B"));
  if (!unmap.empty()) r.Add(Measured("unmap_ns_per_page", Median(unmap), "ns", Better::kLower));
  if (Median(thp) > 0) r.Add(Measured("thp_bytes", Median(thp), "B"));
}

std::uint64_t ThpGainedSince(std::uint64_t before) {
  const std::uint64_t now = mmap_support::AnonHugePageBytes();
  return now > before ? now - before : 0;
}

double Since(SteadyClock::time_point start) { return SecondsBetween(start, SteadyClock::now()); }

Result NewResult(const std::string& case_id, const std::string& scenario) {
  Result r("mmap", case_id);
  r.Param("scenario", scenario);
  return r;
}

void WarmCache(const DataFile& file) {
  mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
  std::vector<unsigned char> buffer(kMiB);
  std::uint64_t left = file.Bytes();
  off_t offset = 0;
  while (left > 0) {
    const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    const ssize_t n = pread(file.Fd(), buffer.data(), want, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError(fmt::format("read '{}'", file.Path()), errno);
    if (n == 0) break;
    left -= static_cast<std::uint64_t>(n);
    offset += n;
  }
}

std::vector<std::uint32_t> RandomOrder(std::size_t pages, std::uint64_t seed) {
  std::vector<std::uint32_t> order(pages);
  std::iota(order.begin(), order.end(), 0u);
  for (std::size_t i = pages; i > 1; --i) {
    const std::size_t j = static_cast<std::size_t>(kernels::SplitMix64(seed) % i);
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

Pass MappedPass(const DataFile& file, const std::vector<std::uint32_t>* order, int advice,
                int extra_flags) {
  const auto bytes = static_cast<std::size_t>(file.Bytes());
  Pass pass;
  const Faults f = FaultsNow();
  const auto start = SteadyClock::now();
  auto m = Map(bytes, PROT_READ, MAP_SHARED | extra_flags, file.Fd(),
               fmt::format("mmap '{}'", file.Path()));
  if (advice >= 0) madvise(m->Data(), bytes, advice);
  std::uint64_t sum = 0;
  if (order == nullptr) {
    sum = kernels::SumWords(m->Data(), bytes / 8 * 8);
  } else {
    sum = kernels::SumPagesInOrder(m->Data(), order->data(), order->size(), PageSize());
  }
  DoNotOptimize(sum);
  pass.seconds = Since(start);
  pass.faults = FaultsSince(f);
  pass.rss_after = RssBytes();
  const auto unmap_start = SteadyClock::now();
  m->Unmap();
  pass.unmap_seconds = Since(unmap_start);
  return pass;
}

bool AnotherPass(const CaseBudget& budget, int rep, int reps, Notes& notes,
                 const std::string& case_id) {
  if (rep >= reps) return false;
  if (rep == 0 || !budget.Spent()) return true;
  notes.Note(budget.Note("mmap " + case_id, rep, reps));
  return false;
}

}  // namespace sysbench::mmap_scenarios
