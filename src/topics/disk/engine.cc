#include "topics/disk/engine.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

#include "sysbench/error.h"
#include "topics/disk/kernels/disk_kernels.h"

#ifdef SYSBENCH_HAVE_LIBURING
#include <liburing.h>
#endif

namespace sysbench::disk {
namespace {

// The requests' memory, aligned for O_DIRECT, in ordinary pages as fio's and most programs' are.
// Its pages are faulted in by one call (MAP_POPULATE), as the first O_DIRECT request faults in
// fio's untouched buffer, so that they come from the allocator the same way. Where they lie still
// matters: a request needs a segment per run of physically adjacent pages, and past the disk's
// limit (254 on virtio: a scattered 1 MiB buffer has 256) the block layer splits it in two, at
// 0.75-0.9x the rate. That happens to both tools, run by run (docs/disk.md); in 2 MiB pages no
// request would ever split, and 1 MiB requests ran 1.5-1.8x faster on this VM than fio's: a
// different set-up, not a truer one.
class IoBuffer {
 public:
  IoBuffer(std::size_t bytes, const JobSpec& spec) {
    const std::size_t page = static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
    const std::size_t alignment = std::max(spec.alignment, page);
    mapped_bytes_ = bytes + alignment - page;
    void* memory = mmap(nullptr, mapped_bytes_, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (memory == MAP_FAILED) throw std::bad_alloc();
    base_ = static_cast<unsigned char*>(memory);
    const std::size_t misalignment = reinterpret_cast<std::uintptr_t>(base_) % alignment;
    data_ = base_ + (misalignment == 0 ? 0 : alignment - misalignment);
    // Random data, so that writes carry incompressible bytes.
    std::uint64_t state = spec.seed | 1;
    if (spec.write) kernels::FillRandomBytes(data_, bytes, state);
  }
  ~IoBuffer() { munmap(base_, mapped_bytes_); }
  IoBuffer(const IoBuffer&) = delete;
  IoBuffer& operator=(const IoBuffer&) = delete;
  unsigned char* get() const { return data_; }

 private:
  unsigned char* base_ = nullptr;
  unsigned char* data_ = nullptr;
  std::size_t mapped_bytes_ = 0;
};

std::string What(const JobSpec& spec) {
  return std::string(spec.write ? "write" : "read") + " of " + std::to_string(spec.block) +
         " bytes";
}

// One whole pread/pwrite; RuntimeError on failure or a short transfer.
void TransferOnce(const JobSpec& spec, unsigned char* data, std::uint64_t offset) {
  for (;;) {
    const ssize_t n = spec.write ? pwrite(spec.fd, data, spec.block, static_cast<off_t>(offset))
                                 : pread(spec.fd, data, spec.block, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError(What(spec) + " at offset " + std::to_string(offset), errno);
    if (static_cast<std::uint64_t>(n) != spec.block) {
      throw RuntimeError(What(spec) + " at offset " + std::to_string(offset) + " moved only " +
                         std::to_string(n) + " bytes");
    }
    return;
  }
}

void Sync(const JobSpec& spec) {
  if (spec.sync == SyncKind::kNone) return;
  const int rc = spec.sync == SyncKind::kFsync ? fsync(spec.fd) : fdatasync(spec.fd);
  if (rc != 0) throw SystemError(spec.sync == SyncKind::kFsync ? "fsync" : "fdatasync", errno);
}

JobResult RunPsync(const JobSpec& spec) {
  const int batch = spec.batch < 1 ? 1 : spec.batch;
  IoBuffer buffer(spec.block, spec);
  kernels::OffsetGenerator offsets(spec.random, spec.block, spec.region, spec.seed);
  Meter meter(spec.slices, spec.slice_seconds, spec.warmup_seconds);
  std::uint64_t issued = 0;
  std::uint64_t scramble = spec.seed | 1;
  while (!meter.Done()) {
    if (spec.write) kernels::ScrambleSectors(buffer.get(), spec.block, scramble);
    const auto start = SteadyClock::now();
    for (int i = 0; i < batch; ++i) TransferOnce(spec, buffer.get(), offsets.Next());
    const auto written = SteadyClock::now();
    Sync(spec);
    const auto end = spec.sync == SyncKind::kNone ? written : SteadyClock::now();
    const double sync_ns = spec.sync == SyncKind::kNone ? -1 : SecondsBetween(written, end) * 1e9;
    meter.Complete(start, end, static_cast<std::uint64_t>(batch),
                   spec.block * static_cast<std::uint64_t>(batch), sync_ns);
    issued += static_cast<std::uint64_t>(batch);
    if (spec.max_ops > 0 && issued >= spec.max_ops) meter.Finish(end);
  }
  return meter.Take();
}

#ifdef SYSBENCH_HAVE_LIBURING
// The ring is set up as fio (3.33 and later) sets up its own: completions run as task work only
// when the task asks for events (DEFER_TASKRUN, which needs SINGLE_ISSUER), and never interrupt
// it (COOP_TASKRUN). Without these flags every completion sends the task a signal-like
// notification: the same requests, timed through a different wake-up path than fio's clat.
// Older kernels refuse the flags with EINVAL; then fewer are asked for, as fio does.
class Ring {
 public:
  explicit Ring(unsigned entries) {
    constexpr unsigned kFlagSets[] = {
        IORING_SETUP_COOP_TASKRUN | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
        IORING_SETUP_COOP_TASKRUN, 0};
    int rc = -EINVAL;
    for (const unsigned flags : kFlagSets) {
      io_uring_params params{};
      params.flags = flags;
      rc = io_uring_queue_init_params(entries, &ring_, &params);
      if (rc != -EINVAL) break;
    }
    if (rc < 0) throw SystemError("io_uring_queue_init", -rc);
  }
  ~Ring() { io_uring_queue_exit(&ring_); }
  Ring(const Ring&) = delete;
  Ring& operator=(const Ring&) = delete;
  io_uring* Get() { return &ring_; }

 private:
  io_uring ring_{};
};

struct Slot {
  unsigned char* data = nullptr;
  SteadyClock::time_point start;
};

JobResult RunIoUring(const JobSpec& spec) {
  const auto depth = static_cast<unsigned>(spec.depth < 1 ? 1 : spec.depth);
  Ring ring(depth);
  IoBuffer buffer(spec.block * depth, spec);
  std::vector<Slot> slots(depth);
  for (unsigned i = 0; i < depth; ++i) slots[i].data = buffer.get() + spec.block * i;
  kernels::OffsetGenerator offsets(spec.random, spec.block, spec.region, spec.seed);
  Meter meter(spec.slices, spec.slice_seconds, spec.warmup_seconds);
  std::vector<Slot*> prepared;
  std::uint64_t scramble = spec.seed | 1;
  // The slot's buffer is not in flight here, so it may change.
  const auto prepare = [&](Slot& slot) {
    io_uring_sqe* sqe = io_uring_get_sqe(ring.Get());
    const std::uint64_t offset = offsets.Next();
    if (spec.write) {
      kernels::ScrambleSectors(slot.data, spec.block, scramble);
      io_uring_prep_write(sqe, spec.fd, slot.data, static_cast<unsigned>(spec.block), offset);
    } else {
      io_uring_prep_read(sqe, spec.fd, slot.data, static_cast<unsigned>(spec.block), offset);
    }
    io_uring_sqe_set_data(sqe, &slot);
    prepared.push_back(&slot);
  };
  // One submit per request, as fio does by default (iodepth_batch_submit=1): requests submitted
  // together are plugged and merged by the block layer, so adjacent sequential 4 KiB requests
  // would become fewer, larger ones. Latency counts from the return of that submit (fio's clat).
  const auto submit = [&] {
    if (prepared.empty()) return;
    const int rc = io_uring_submit(ring.Get());
    if (rc < 0) throw SystemError("io_uring_submit", -rc);
    const auto now = SteadyClock::now();
    for (Slot* slot : prepared) slot->start = now;
    prepared.clear();
  };
  for (Slot& slot : slots) {
    prepare(slot);
    submit();
  }
  unsigned in_flight = depth;
  std::string error;
  while (in_flight > 0) {
    io_uring_cqe* cqe = nullptr;
    const int rc = io_uring_wait_cqe(ring.Get(), &cqe);
    if (rc == -EINTR) continue;
    if (rc < 0) throw SystemError("io_uring_wait_cqe", -rc);
    const auto now = SteadyClock::now();
    unsigned head = 0, seen = 0;
    io_uring_for_each_cqe(ring.Get(), head, cqe) {
      ++seen;
      --in_flight;
      Slot& slot = *static_cast<Slot*>(io_uring_cqe_get_data(cqe));
      if (cqe->res < 0 && error.empty()) {
        error = SystemError(What(spec), -cqe->res).what();
      } else if (static_cast<std::uint64_t>(cqe->res) != spec.block && error.empty()) {
        error = What(spec) + " moved only " + std::to_string(cqe->res) + " bytes";
      }
      if (error.empty()) meter.Complete(slot.start, now, 1, spec.block);
      if (error.empty() && !meter.Done()) {
        prepare(slot);
        submit();
        ++in_flight;
      }
    }
    io_uring_cq_advance(ring.Get(), seen);
  }
  // Every request has completed here, so the buffers may go.
  if (!error.empty()) throw RuntimeError(error);
  return meter.Take();
}
#endif

}  // namespace

const char* EngineName(Engine engine) { return engine == Engine::kIoUring ? "io_uring" : "psync"; }

std::string IoUringUnavailableReason() {
#ifdef SYSBENCH_HAVE_LIBURING
  io_uring ring{};
  const int rc = io_uring_queue_init(1, &ring, 0);
  if (rc < 0) return std::string("io_uring_setup refused: ") + std::strerror(-rc);
  io_uring_queue_exit(&ring);
  return "";
#else
  return "this sysbench was built without liburing";
#endif
}

Meter::Meter(int slices, double slice_seconds, double warmup_seconds)
    : slices_(slices < 1 ? 1 : slices),
      slice_seconds_(slice_seconds),
      warm_until_(SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                           std::chrono::duration<double>(warmup_seconds))) {
  if (warmup_seconds <= 0) {
    measuring_ = true;
    measure_start_ = slice_start_ = SteadyClock::now();
  }
}

void Meter::Finish(SteadyClock::time_point end) {
  if (Done()) return;
  if (slice_ops_ > 0) {
    const double in_slice = SecondsBetween(slice_start_, end);
    if (in_slice > 0) result_.slice_iops.push_back(static_cast<double>(slice_ops_) / in_slice);
    result_.seconds = SecondsBetween(measure_start_, end);
  }
  slices_done_ = slices_;
}

void Meter::Complete(SteadyClock::time_point start, SteadyClock::time_point end, std::uint64_t ops,
                     std::uint64_t bytes, double sync_ns) {
  if (Done()) return;
  if (!measuring_) {
    if (end < warm_until_) return;
    measuring_ = true;
    measure_start_ = slice_start_ = end;
    return;
  }
  result_.latency_ns.push_back(SecondsBetween(start, end) * 1e9);
  if (sync_ns >= 0) result_.sync_ns.push_back(sync_ns);
  result_.ops += ops;
  result_.bytes += bytes;
  slice_ops_ += ops;
  const double in_slice = SecondsBetween(slice_start_, end);
  if (in_slice >= slice_seconds_) {
    result_.slice_iops.push_back(static_cast<double>(slice_ops_) / in_slice);
    slice_ops_ = 0;
    slice_start_ = end;
    ++slices_done_;
    result_.seconds = SecondsBetween(measure_start_, end);
  }
}

JobResult RunJob(Engine engine, const JobSpec& spec) {
#ifdef SYSBENCH_HAVE_LIBURING
  if (engine == Engine::kIoUring && spec.sync == SyncKind::kNone) return RunIoUring(spec);
#endif
  (void)engine;
  return RunPsync(spec);
}

}  // namespace sysbench::disk
