// mmap scenario mmap-vs-read: the same hot file read with read() and pread() through buffers of
// each --buffers size, and through mappings with and without madvise or MAP_POPULATE.
#include <fmt/format.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/mmap/scenarios.h"

namespace sysbench::mmap_scenarios {

void RunMmapVsRead(const Setup& setup) {
  const Plan& plan = setup.plan;
  const DataFile& file = *setup.file;
  ResultSink& sink = setup.sink;
  WarmCache(file);
  const std::string file_param = std::to_string(file.Bytes());
  const double bytes = static_cast<double>(file.Bytes());
  const double pages = std::ceil(bytes / static_cast<double>(PageSize()));
  for (const char* method : {"read", "pread"}) {
    const bool use_pread = std::string(method) == "pread";
    for (std::uint64_t buffer_bytes : plan.buffers) {
      const auto size = static_cast<std::size_t>(buffer_bytes);
      const std::size_t alloc = (size + PageSize() - 1) / PageSize() * PageSize();
      std::unique_ptr<void, decltype(&std::free)> buffer(std::aligned_alloc(PageSize(), alloc),
                                                         &std::free);
      if (!buffer) {
        throw RuntimeError(
            fmt::format("out of memory for a {} buffer", FormatBytes(static_cast<double>(size))));
      }
      std::memset(buffer.get(), 1, alloc);
      const auto pass = [&]() {
        Pass p;
        const Faults f = FaultsNow();
        const auto start = SteadyClock::now();
        std::uint64_t left = file.Bytes();
        off_t offset = 0;
        if (!use_pread && lseek(file.Fd(), 0, SEEK_SET) < 0) {
          throw SystemError(fmt::format("lseek '{}'", file.Path()), errno);
        }
        while (left > 0) {
          const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, size));
          const ssize_t n = use_pread ? pread(file.Fd(), buffer.get(), want, offset)
                                      : read(file.Fd(), buffer.get(), want);
          if (n < 0 && errno == EINTR) continue;
          if (n < 0) throw SystemError(fmt::format("{} '{}'", method, file.Path()), errno);
          if (n == 0) break;
          left -= static_cast<std::uint64_t>(n);
          offset += n;
        }
        ClobberMemory();
        p.seconds = Since(start);
        p.faults = FaultsSince(f);
        return p;
      };
      const std::string case_id = fmt::format("mmap-vs-read/{}/buffer={}", method, buffer_bytes);
      pass();  // warm-up
      const std::vector<Pass> passes = Passes(plan.reps, setup.context.notes, case_id, pass);
      Result r = NewResult(case_id, "mmap-vs-read");
      r.Param("cache", "hot").Param("access", "seq").Param("method", method);
      r.Param("buffer_bytes", std::to_string(buffer_bytes)).Param("file_bytes", file_param);
      AddPassMetrics(r, passes, bytes, pages, true);
      sink.Emit(std::move(r));
    }
  }
  struct Variant {
    const char* method;
    int advice;
    int flags;
  };
  for (const Variant& v :
       {Variant{"mmap", -1, 0}, Variant{"mmap-sequential", MADV_SEQUENTIAL, 0},
        Variant{"mmap-willneed", MADV_WILLNEED, 0}, Variant{"mmap-populate", -1, MAP_POPULATE}}) {
    const std::string case_id = std::string("mmap-vs-read/") + v.method;
    MappedPass(file, nullptr, v.advice, v.flags);  // warm-up
    const std::vector<Pass> passes = Passes(plan.reps, setup.context.notes, case_id, [&] {
      return MappedPass(file, nullptr, v.advice, v.flags);
    });
    Result r = NewResult(case_id, "mmap-vs-read");
    r.Param("cache", "hot").Param("access", "seq").Param("method", v.method);
    r.Param("file_bytes", file_param);
    AddPassMetrics(r, passes, static_cast<double>(file.Bytes() / 8 * 8), pages, true);
    sink.Emit(std::move(r));
  }
}

}  // namespace sysbench::mmap_scenarios
