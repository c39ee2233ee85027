// sysbench disk: offsets, percentiles and slices computed right, mountinfo and sysfs parsing,
// bad input refused with one line and nothing left, a tiny real run, and the real binary killed
// mid-write leaving no file and no folder behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "cli_test_util.h"
#include "sysbench/cleanup.h"
#include "temp_dir.h"
#include "topics/disk/cases.h"
#include "topics/disk/engine.h"
#include "topics/disk/facts.h"
#include "topics/disk/kernels/disk_kernels.h"

namespace sysbench::testing {
namespace {

namespace fs = std::filesystem;
using namespace sysbench::disk;

// ---- kernels

TEST(DiskKernels, SequentialOffsetsWrapAtTheEndOfTheRegion) {
  kernels::OffsetGenerator offsets(false, 4096, 3 * 4096 + 100, 1);
  EXPECT_EQ(offsets.Blocks(), 3u);
  const std::vector<std::uint64_t> expected = {0, 4096, 8192, 0, 4096};
  for (std::uint64_t want : expected) EXPECT_EQ(offsets.Next(), want);
}

TEST(DiskKernels, RandomOffsetsAreAlignedInsideTheRegionAndReachEveryBlock) {
  kernels::OffsetGenerator offsets(true, 8192, 16 * 8192, 42);
  std::set<std::uint64_t> seen;
  for (int i = 0; i < 2000; ++i) {
    const std::uint64_t offset = offsets.Next();
    EXPECT_EQ(offset % 8192, 0u);
    EXPECT_LT(offset, 16u * 8192);
    seen.insert(offset);
  }
  EXPECT_EQ(seen.size(), 16u);
}

TEST(DiskKernels, PowersOfTwoAndRandomBytes) {
  EXPECT_TRUE(kernels::IsPowerOfTwo(1));
  EXPECT_TRUE(kernels::IsPowerOfTwo(4096));
  EXPECT_FALSE(kernels::IsPowerOfTwo(0));
  EXPECT_FALSE(kernels::IsPowerOfTwo(3072));
  std::vector<unsigned char> bytes(4099, 0);
  std::uint64_t state = 5;
  kernels::FillRandomBytes(bytes.data(), bytes.size(), state);
  std::set<unsigned char> distinct(bytes.begin(), bytes.end());
  EXPECT_GT(distinct.size(), 200u);
  EXPECT_NE(bytes.back() | bytes[bytes.size() - 2] | bytes[bytes.size() - 3], 0);
}

TEST(DiskKernels, ScrambleChangesTheFirstWordOfEverySectorOnly) {
  std::vector<unsigned char> before(2048 + 100);
  std::uint64_t fill = 3;
  kernels::FillRandomBytes(before.data(), before.size(), fill);
  std::vector<unsigned char> after = before;
  std::uint64_t state = 9;
  kernels::ScrambleSectors(after.data(), after.size(), state);
  for (std::size_t i = 0; i < after.size(); ++i) {
    const bool first_word = i % 512 < 8;
    if (!first_word) {
      EXPECT_EQ(after[i], before[i]) << i;
    }
  }
  for (std::size_t sector = 0; sector < after.size(); sector += 512) {
    EXPECT_NE(std::memcmp(after.data() + sector, before.data() + sector, 8), 0) << sector;
  }
}

// ---- metrics

TEST(DiskMetrics, LatencyPercentilesInMicroseconds) {
  std::vector<double> ns;
  for (int i = 100; i >= 1; --i) ns.push_back(i * 1000.0);  // 1..100 us, unsorted
  Result r("disk", "x");
  AddLatency(r, ns, "lat");
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_p50_us")->value), 50.5);
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_p90_us")->value), 90.1);
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_p99_us")->value), 99.01);
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_p999_us")->value), 99.901);
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_max_us")->value), 100.0);
  EXPECT_EQ(r.Find("lat_p50_us")->unit, "us");
  Result empty("disk", "y");
  AddLatency(empty, {}, "lat");
  EXPECT_TRUE(empty.metrics.empty());
}

// The percentiles are exact order statistics, interpolated between the two nearest samples (fio
// instead reports the middle of the histogram bucket holding the nearest-rank sample: within
// 1/128 of it). On 1000 samples of 1..1000 us p99.9 lies between the 999th and the 1000th.
TEST(DiskMetrics, LatencyPercentilesAreExactOrderStatistics) {
  std::vector<double> ns;
  for (int i = 1; i <= 1000; ++i) ns.push_back(i * 1000.0);
  ns.back() = 50e6;  // one 50 ms outlier moves max and p99.9, not p99
  Result r("disk", "x");
  AddLatency(r, ns, "lat");
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_p50_us")->value), 500.5);
  EXPECT_NEAR(AsDouble(r.Find("lat_p99_us")->value), 990.01, 1e-9);
  EXPECT_NEAR(AsDouble(r.Find("lat_p999_us")->value), 999 + 0.001 * (50000 - 999), 1e-6);
  EXPECT_DOUBLE_EQ(AsDouble(r.Find("lat_max_us")->value), 50000.0);
  Result one("disk", "y");
  AddLatency(one, {7000.0}, "sync");
  EXPECT_DOUBLE_EQ(AsDouble(one.Find("sync_p99_us")->value), 7.0);
  EXPECT_DOUBLE_EQ(AsDouble(one.Find("sync_max_us")->value), 7.0);
}

TEST(DiskMetrics, MeterCutsSlicesAndKeepsEveryLatency) {
  Meter meter(2, 1.0, 0);  // no warm-up: everything counts
  auto t = SteadyClock::now();
  const auto ms = [](int n) { return std::chrono::milliseconds(n); };
  int completions = 0;
  while (!meter.Done()) {  // one request every 100 ms, each taking 10 ms
    meter.Complete(t + ms(90), t + ms(100), 1, 4096);
    t += ms(100);
    ++completions;
    ASSERT_LT(completions, 100);
  }
  const JobResult job = meter.Take();
  ASSERT_EQ(job.slice_iops.size(), 2u);
  EXPECT_EQ(job.ops, static_cast<std::uint64_t>(completions));
  EXPECT_EQ(job.bytes, job.ops * 4096);
  ASSERT_EQ(job.latency_ns.size(), job.ops);
  EXPECT_NEAR(job.latency_ns.front(), 10e6, 1);
  EXPECT_GT(job.seconds, 1.9);
  for (double iops : job.slice_iops) EXPECT_NEAR(iops, 10.0, 1.2);
}

TEST(DiskMetrics, MeterFinishKeepsThePartialSlice) {
  Meter meter(5, 10.0, 0);
  const auto t = SteadyClock::now() + std::chrono::seconds(1);
  meter.Complete(t, t + std::chrono::milliseconds(1), 4, 4 * 4096);
  meter.Finish(t + std::chrono::milliseconds(1));
  EXPECT_TRUE(meter.Done());
  const JobResult job = meter.Take();
  EXPECT_EQ(job.ops, 4u);
  ASSERT_EQ(job.slice_iops.size(), 1u);
}

// ---- facts

TEST(DiskFacts, MountinfoPicksTheLongestMountPointOfTheDevice) {
  const std::string mountinfo =
      "22 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n"
      "30 22 0:25 / /tmp rw,nosuid - tmpfs tmpfs rw,size=100k\n"
      "31 22 254:0 /srv /data rw,noatime shared:1 - ext4 /dev/vda rw,discard\n";
  const MountEntry root = FindMount(mountinfo, "254:0", "/home/me");
  EXPECT_EQ(root.mount_point, "/");
  EXPECT_EQ(root.fs_type, "ext4");
  EXPECT_EQ(root.options, "rw,relatime,rw,discard");
  const MountEntry data = FindMount(mountinfo, "254:0", "/data/x");
  EXPECT_EQ(data.mount_point, "/data");
  EXPECT_EQ(data.options, "rw,noatime,rw,discard");
  EXPECT_EQ(FindMount(mountinfo, "254:0", "/datax").mount_point, "/");
  EXPECT_EQ(FindMount(mountinfo, "0:25", "/tmp/a").fs_type, "tmpfs");
  EXPECT_EQ(FindMount(mountinfo, "9:9", "/").mount_point, "");
}

TEST(DiskFacts, SchedulerAndFilesystemNames) {
  EXPECT_EQ(ActiveScheduler("mq-deadline kyber [bfq] none"), "bfq");
  EXPECT_EQ(ActiveScheduler("none"), "none");
  StorageFacts flags;
  EXPECT_EQ(FilesystemName(0x01021994UL, &flags), "tmpfs");
  EXPECT_TRUE(flags.memory_fs);
  EXPECT_EQ(FilesystemName(0x794c7630UL, &flags), "overlay");
  EXPECT_TRUE(flags.overlay_fs);
  EXPECT_FALSE(flags.memory_fs);
  EXPECT_EQ(FilesystemName(0x6969UL, &flags), "nfs");
  EXPECT_TRUE(flags.network_fs);
  EXPECT_EQ(FilesystemName(0xEF53UL), "ext4");
  EXPECT_EQ(FilesystemName(0x1234UL), "0x1234");
}

TEST(DiskFacts, BusiestInterruptSumsTheCpuColumnsOfTheDisksIrqs) {
  const std::string interrupts =
      "           CPU0       CPU1\n"
      " 35:          0          2  PCI-MSIX-0000:00:02.0   0-edge      virtio1-config\n"
      " 36:          5   11787803  PCI-MSIX-0000:00:02.0   1-edge      virtio1-req.0\n"
      " 41:   99999999          0  PCI-MSIX-0000:00:04.0   1-edge      virtio3-rx\n"
      "NMI:          0          0   Non-maskable interrupts\n";
  EXPECT_EQ(BusiestInterrupt(interrupts, {"35", "36"}), "36");
  EXPECT_EQ(BusiestInterrupt(interrupts, {"35"}), "35");
  EXPECT_EQ(BusiestInterrupt(interrupts, {"41", "35"}), "41");
  EXPECT_EQ(BusiestInterrupt(interrupts, {"7"}), "");
  EXPECT_EQ(BusiestInterrupt("", {"36"}), "");
}

TEST(DiskFacts, FolderOfTheTestsHasAFilesystemType) {
  TempDir dir("sysbench-disk-test");
  const StorageFacts facts = LookUpFolder(dir.Str());
  EXPECT_FALSE(facts.fs_type.empty());
}

TEST(DiskCleanup, GuardRemovesAnEmptyFolder) {
  TempDir dir("sysbench-disk-test");
  const fs::path folder = dir / "inner";
  fs::create_directory(folder);
  { const TempFileGuard guard(folder.string()); }
  EXPECT_FALSE(fs::exists(folder));
}

// ---- command line

TEST(DiskCli, BadInputExitsTwoWithOneLineAndLeavesNothing) {
  TempDir dir("sysbench-disk-test");
  const std::string d = dir.Str();
  ExpectUsageError({"disk", "--dir", d, "--size", "0"}, "--size");
  ExpectUsageError({"disk", "--dir", d, "--size", "abc"}, "--size");
  ExpectUsageError({"disk", "--dir", d, "--size", "-1M"}, "--size");
  ExpectUsageError({"disk", "--dir", d, "--size", "100K"}, "--size");
  ExpectUsageError({"disk", "--dir", d, "--size", "1000001"}, "--size");
  ExpectUsageError({"disk", "--dir", d, "--size", "900T"}, "free");
  ExpectUsageError({"disk", "--dir", d, "--block-sizes", "0"}, "--block-sizes");
  ExpectUsageError({"disk", "--dir", d, "--block-sizes", "3K"}, "power of two");
  ExpectUsageError({"disk", "--dir", d, "--block-sizes", "256"}, "--block-sizes");
  ExpectUsageError({"disk", "--dir", d, "--size", "2M", "--block-sizes", "4M"}, "larger");
  ExpectUsageError({"disk", "--dir", d, "--block-sizes", "4K,x"}, "--block-sizes");
  ExpectUsageError({"disk", "--dir", d, "--queue-depths", "0"}, "--queue-depths");
  ExpectUsageError({"disk", "--dir", d, "--iodepth", "x"}, "--iodepth");
  ExpectUsageError({"disk", "--dir", d, "--batch", "0"}, "--batch");
  ExpectUsageError({"disk", "--dir", d, "--cases", "bogus"}, "--cases");
  ExpectUsageError({"disk", "--dir", d, "--patterns", "trim"}, "--patterns");
  ExpectUsageError({"disk", "--dir", d, "--engine", "libfoo"}, "--engine");
  ExpectUsageError({"disk", "--dir", d, "--engine", "libaio"}, "not built in");
  ExpectUsageError({"disk", "--dir", (dir / "missing").string()}, "--dir");
  const std::string file = (dir / "a-file").string();
  std::ofstream(file) << "x";
  ExpectUsageError({"disk", "--dir", file}, "not a directory");
  ExpectUsageError({"disk", "--device", "/dev/null"}, "--i-know-this-erases-data");
  ExpectUsageError({"disk", "--device", "/dev/null", "--i-know-this-erases-data"},
                   "not a block device");
  ExpectUsageError({"disk", "--device", file, "--i-know-this-erases-data"}, "less than --size");
  ExpectUsageError({"disk", "--dir", d, "--i-know-this-erases-data"}, "--device");
  EXPECT_EQ(dir.Files(), 1u);  // only the file made here
}

TEST(DiskCli, UnwritableFolderIsRefused) {
  if (geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  TempDir dir("sysbench-disk-test");
  fs::permissions(dir.Path(), fs::perms::owner_read | fs::perms::owner_exec);
  ExpectUsageError({"disk", "--dir", dir.Str()}, "not writable");
  fs::permissions(dir.Path(), fs::perms::owner_all);
}

nlohmann::json TinyRun(const std::vector<std::string>& extra) {
  std::vector<std::string> args = {"--quiet",       "--format", "json",
                                   "--repetitions", "2",        "--min-time",
                                   "0.005",         "--warmup", "0",
                                   "disk",          "--size",   "2M",
                                   "--block-sizes", "4K,64K",   "--queue-depths",
                                   "1,4",           "--batch",  "4"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliRun run = RunSysbench(args);
  EXPECT_EQ(run.code, 0) << run.err;
  return run.code == 0 ? nlohmann::json::parse(run.out) : nlohmann::json();
}

TEST(DiskCli, TinyRunReportsEveryFamilyAndCleansUp) {
  TempDir dir("sysbench-disk-test");
  const auto doc = TinyRun({"--dir", dir.Str()});
  EXPECT_EQ(dir.Files(), 0u);
  std::map<std::string, nlohmann::json> cases;
  for (const auto& r : doc["results"]) cases[r["case"].get<std::string>()] = r;
  const auto metric = [&](const std::string& id, const std::string& name) -> double {
    if (!cases.count(id)) {
      ADD_FAILURE() << "no case " << id;
      return 0;
    }
    for (const auto& m : cases.at(id)["metrics"]) {
      if (m["name"] == name && m["value"].is_number()) return m["value"].get<double>();
    }
    ADD_FAILURE() << id << " has no metric " << name;
    return 0;
  };
  for (const char* pattern : {"read", "randread", "write", "randwrite"}) {
    for (const char* bs : {"4K", "64K"}) {
      const std::string id = std::string("sweep/") + pattern + "/bs=" + bs + "/qd=1";
      EXPECT_GT(metric(id, "iops"), 0) << id;
      EXPECT_LE(metric(id, "lat_p50_us"), metric(id, "lat_p99_us")) << id;
      EXPECT_LE(metric(id, "lat_p99_us"), metric(id, "lat_max_us")) << id;
    }
  }
  const auto& qd4 = cases["depth/randread/bs=4K/qd=4"];
  ASSERT_TRUE(qd4.is_object());
  const std::string engine = qd4["params"]["engine"];
  EXPECT_EQ(qd4["params"]["effective_depth"], engine == "psync" ? "1" : "4");
  EXPECT_GT(metric("sync/fsync/batch=1", "sync_p50_us"), 0);
  EXPECT_GT(metric("sync/dsync/batch=4", "commit_p50_us"), 0);
  EXPECT_NEAR(metric("sync/fsync/batch=4", "per_write_us"),
              metric("sync/fsync/batch=4", "commit_p50_us") / 4, 1e-9);
  EXPECT_NEAR(metric("cache/hot/randread/bs=4K", "resident_pct_before"), 100.0, 0.01);
  const auto& cold = cases["cache/cold/randread/bs=4K"];
  if (!cold.contains("skipped")) {
    EXPECT_LT(metric("cache/cold/randread/bs=4K", "resident_pct_before"), 1.0);
    EXPECT_GT(metric("cache/cold/randread/bs=4K", "hot_vs_cold"), 0);
  }
  ASSERT_TRUE(cases.count("facts"));
  EXPECT_NE(cases["facts"]["params"]["test_file"].get<std::string>().find(dir.Str()),
            std::string::npos);
}

TEST(DiskCli, CpusPinsTheRunAndGivesTheAffinityBack) {
  cpu_set_t before;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof before, &before), 0);
  int last = CPU_SETSIZE - 1;
  while (!CPU_ISSET(static_cast<std::size_t>(last), &before)) --last;
  TempDir dir("sysbench-disk-test");
  const CliRun run =
      RunSysbench({"--quiet", "--format=json", "--repetitions=1", "--min-time=0.002", "--warmup=0",
                   "--cpus=" + std::to_string(last), "disk", "--size=1M", "--cases=sweep",
                   "--patterns=read", "--block-sizes=4K", "--dir=" + dir.Str()});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  for (const auto& r : doc["results"]) {
    // The facts name the CPUs the run was allowed (where the disk's interrupt CPU is known).
    if (r["case"] == "facts" && r["params"].contains("allowed_cpus")) {
      EXPECT_EQ(r["params"]["allowed_cpus"], std::to_string(last));
    }
  }
  cpu_set_t after;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof after, &after), 0);
  EXPECT_TRUE(CPU_EQUAL(&before, &after));
}

TEST(DiskCli, DefaultFolderInTheCurrentDirectoryIsRemoved) {
  TempDir dir("sysbench-disk-test");
  const fs::path old = fs::current_path();
  fs::current_path(dir.Path());
  const auto doc = TinyRun({"--cases", "sweep", "--patterns", "randread"});
  fs::current_path(old);
  EXPECT_EQ(dir.Files(), 0u);
  bool named = false;
  for (const auto& r : doc["results"]) {
    if (r["case"] == "facts") {
      named =
          r["params"]["test_file"].get<std::string>().find("sysbench-disk-") != std::string::npos;
    }
  }
  EXPECT_TRUE(named);
}

// ---- signals

// Runs the real binary writing into `dir` (or, with no --dir, into a folder it makes in `dir` as
// its current directory), waits until its file exists (mid-fill) or is complete (mid-measure),
// sends `signal_number`, and checks that it died of it and left nothing behind.
void KillMidWrite(int signal_number, bool use_dir, bool wait_until_full) {
  TempDir dir("sysbench-disk-test");
  const std::string dir_arg = dir.Str();
  constexpr std::uintmax_t kBytes = 64u << 20;
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    if (chdir(dir_arg.c_str()) != 0) _exit(126);
    if (use_dir) {
      execl(SYSBENCH_BINARY, SYSBENCH_BINARY, "--quiet", "--repetitions", "100000", "disk",
            "--cases", "sweep", "--patterns", "randwrite", "--size", "64M", "--dir",
            dir_arg.c_str(), static_cast<char*>(nullptr));
    } else {
      execl(SYSBENCH_BINARY, SYSBENCH_BINARY, "--quiet", "--repetitions", "100000", "disk",
            "--cases", "sweep", "--patterns", "randwrite", "--size", "64M",
            static_cast<char*>(nullptr));
    }
    _exit(127);
  }
  bool seen = false;
  for (int i = 0; i < 600 && !seen; ++i) {  // up to 30 s on a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& entry : fs::recursive_directory_iterator(dir.Path())) {
      std::error_code ec;
      if (!entry.is_regular_file(ec)) continue;
      const std::uintmax_t size = fs::file_size(entry.path(), ec);
      if (!ec && (wait_until_full ? size == kBytes : size > 0)) seen = true;
    }
  }
  if (wait_until_full) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  kill(pid, signal_number);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(seen) << "the test file never appeared";
  EXPECT_TRUE(WIFSIGNALED(status)) << "status " << status;
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), signal_number);
  }
  EXPECT_EQ(dir.Files(), 0u) << "a file or folder survived the signal";
}

TEST(DiskSignals, SigtermWhileFillingLeavesNoFile) { KillMidWrite(SIGTERM, true, false); }
TEST(DiskSignals, SigintWhileMeasuringWritesLeavesNoFile) { KillMidWrite(SIGINT, true, true); }
TEST(DiskSignals, SigtermInDefaultFolderLeavesNoFolder) { KillMidWrite(SIGTERM, false, true); }
TEST(DiskSignals, SigintInDefaultFolderWhileFillingLeavesNoFolder) {
  KillMidWrite(SIGINT, false, false);
}

}  // namespace
}  // namespace sysbench::testing
