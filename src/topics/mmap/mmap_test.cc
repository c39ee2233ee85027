// sysbench mmap: kernels, fault counting, RSS, residency logic, temp-file cleanup (error paths and
// SIGINT/SIGTERM), bad --file/--size input, and a tiny end-to-end run.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <set>
#include <thread>
#include <vector>

#include "cli_test_util.h"
#include "sysbench/error.h"
#include "temp_dir.h"
#include "topics/mmap/kernels/mmap_kernels.h"
#include "topics/mmap/support.h"
#include "topics/registry.h"

namespace sysbench::testing {
namespace {

namespace fs = std::filesystem;
using namespace sysbench::mmap_support;

// ---- kernels
// -------------------------------------------------------------------------------------

TEST(MmapKernels, SumWordsReadsEveryWord) {
  std::vector<std::uint64_t> words(1027);
  std::iota(words.begin(), words.end(), 1);
  const std::uint64_t n = words.size();
  EXPECT_EQ(kernels::SumWords(words.data(), words.size() * 8), n * (n + 1) / 2);
  EXPECT_EQ(kernels::SumWords(words.data(), 3 * 8), 6u);
  EXPECT_EQ(kernels::SumWords(words.data(), 0), 0u);
}

TEST(MmapKernels, TouchPagesWritesOneBytePerPage) {
  std::vector<unsigned char> memory(8 * 64, 0);
  EXPECT_EQ(kernels::TouchPages(memory.data(), 8, 64), 8u);
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(memory[i * 64], i + 1);
    EXPECT_EQ(memory[i * 64 + 1], 0);
  }
}

TEST(MmapKernels, SumPagesInOrderMatchesSequentialSum) {
  const std::size_t page = 64, pages = 16;
  std::vector<std::uint64_t> words(page * pages / 8);
  std::uint64_t state = 7;
  kernels::FillRandom(words.data(), words.size(), state);
  std::vector<std::uint32_t> order = {3, 0, 15, 7, 1, 2, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14};
  const auto* base = reinterpret_cast<const unsigned char*>(words.data());
  EXPECT_EQ(kernels::SumPagesInOrder(base, order.data(), order.size(), page),
            kernels::SumWords(base, page * pages));
  EXPECT_EQ(kernels::SumPagesInOrder(base, order.data(), 1, page),
            kernels::SumWords(base + 3 * page, page));
}

TEST(MmapKernels, RandomDataIsNotZerosAndUsesEveryByteValue) {
  std::vector<std::uint64_t> words(4096);
  std::uint64_t state = 1;
  kernels::FillRandom(words.data(), words.size(), state);
  std::set<std::uint64_t> distinct(words.begin(), words.end());
  EXPECT_EQ(distinct.size(), words.size());
  std::vector<int> counts(256, 0);
  const auto* bytes = reinterpret_cast<const unsigned char*>(words.data());
  for (std::size_t i = 0; i < words.size() * 8; ++i) ++counts[bytes[i]];
  for (int c : counts) EXPECT_GT(c, 64);  // 32768 bytes: about 128 each
}

// ---- faults, RSS, residency
// ----------------------------------------------------------------------

TEST(MmapSupport, FirstTouchFaultsAndGrowsRss) {
  const std::size_t page = PageSize();
  const std::size_t pages = 4096;  // 16 MiB with 4 KiB pages
  const std::size_t bytes = pages * page;
  auto m = Map(bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, "test mmap");
  madvise(m->Data(), bytes, MADV_NOHUGEPAGE);
  const std::uint64_t rss_mapped = RssBytes();
  EXPECT_EQ(ResidentPages(m->Data(), bytes), 0u);  // lazy: nothing there yet
  const Faults before = FaultsNow();
  kernels::TouchPages(m->Data(), pages, page);
  const Faults first = FaultsSince(before);
  const std::uint64_t rss_touched = RssBytes();
  EXPECT_GE(first.minor, pages / 16);  // one per page; fewer only with multi-size THP
  EXPECT_EQ(first.major, 0u);
  EXPECT_GE(rss_touched, rss_mapped + bytes * 3 / 4);
  EXPECT_EQ(ResidentPages(m->Data(), bytes), pages);
  const Faults again = FaultsNow();
  kernels::TouchPages(m->Data(), pages, page);
  EXPECT_LT(FaultsSince(again).minor, pages / 100);
}

TEST(MmapSupport, ResidencyLogic) {
  const unsigned char vec[] = {1, 0, 3, 2, 0x81, 0xfe};
  EXPECT_EQ(CountResident(vec, 6), 3u);  // only bit 0 means resident
  EXPECT_EQ(CountResident(vec, 0), 0u);
  EXPECT_DOUBLE_EQ(ResidentPercent(1, 4), 25.0);
  EXPECT_DOUBLE_EQ(ResidentPercent(0, 0), 0.0);
}

TEST(MmapSupport, FilePagesLoadOnlyWhenReadAndDropWithFadvise) {
  TempDir dir("sysbench-mmap-test");
  auto file = DataFile::CreateTemporary(dir.Str(), 4 << 20);
  ASSERT_EQ(file->Bytes(), 4u << 20);
  EXPECT_TRUE(file->Temporary());
  EXPECT_EQ(dir.Files(), 1u);
  if (OnMemoryFilesystem(dir.Str())) GTEST_SKIP() << "tmpfs: pages cannot be dropped";
  DropFromPageCache(file->Fd(), file->Bytes(), file->Path());
  EXPECT_LT(FileResidentPercent(file->Fd(), file->Bytes()), 10.0);
  auto m = Map(static_cast<std::size_t>(file->Bytes()), PROT_READ, MAP_SHARED, file->Fd(), "map");
  const std::size_t quarter = static_cast<std::size_t>(file->Bytes() / 4);
  EXPECT_NE(kernels::SumWords(m->Data(), quarter), 0u);
  const double after_quarter = FileResidentPercent(file->Fd(), file->Bytes());
  EXPECT_GE(after_quarter, 24.0);
  kernels::SumWords(m->Data(), static_cast<std::size_t>(file->Bytes()));
  EXPECT_DOUBLE_EQ(FileResidentPercent(file->Fd(), file->Bytes()), 100.0);
}

// ---- temp file and cleanup
// -----------------------------------------------------------------------

TEST(MmapSupport, TemporaryFileHoldsRandomDataAndIsRemoved) {
  TempDir dir("sysbench-mmap-test");
  std::string path;
  {
    auto file = DataFile::CreateTemporary(dir.Str(), 1 << 20);
    path = file->Path();
    std::ifstream in(path, std::ios::binary);
    std::vector<char> data(1 << 20);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    ASSERT_EQ(in.gcount(), 1 << 20);
    std::size_t zeros = 0;
    for (char c : data) zeros += c == 0;
    EXPECT_LT(zeros, data.size() / 100);  // random bytes: about 1/256 are zero
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(dir.Files(), 0u);
}

TEST(MmapSupport, FailingWriteLeavesNoFile) {
  TempDir dir("sysbench-mmap-test");
  int calls = 0;
  const WriteFn failing = [&calls](int fd, const void* data, std::size_t bytes) -> ssize_t {
    if (++calls > 2) {
      errno = ENOSPC;
      return -1;
    }
    return ::write(fd, data, bytes);
  };
  EXPECT_THROW(DataFile::CreateTemporary(dir.Str(), 8 << 20, failing), RuntimeError);
  EXPECT_EQ(dir.Files(), 0u);
  const WriteFn short_writes = [](int fd, const void* data, std::size_t bytes) -> ssize_t {
    return ::write(fd, data, std::min<std::size_t>(bytes, 1000));  // partial writes are retried
  };
  auto file = DataFile::CreateTemporary(dir.Str(), 64 << 10, short_writes);
  EXPECT_EQ(fs::file_size(file->Path()), 64u << 10);
  const WriteFn full_disk = [](int, const void*, std::size_t) -> ssize_t { return 0; };
  EXPECT_THROW(DataFile::CreateTemporary(dir.Str(), 1 << 20, full_disk), RuntimeError);
  EXPECT_EQ(dir.Files(), 1u);  // only `file`
}

TEST(MmapSupport, BadUserFiles) {
  TempDir dir("sysbench-mmap-test");
  EXPECT_THROW(DataFile::OpenExisting(dir.Str(), 0), UsageError);
  EXPECT_THROW(DataFile::OpenExisting("/dev/null", 0), UsageError);
  EXPECT_THROW(DataFile::OpenExisting((dir.Path() / "missing").string(), 0), UsageError);
  const std::string empty = (dir.Path() / "empty").string();
  std::ofstream(empty).close();
  EXPECT_THROW(DataFile::OpenExisting(empty, 0), UsageError);
  const std::string small = (dir.Path() / "small").string();
  std::ofstream(small) << std::string(10000, 'x');
  EXPECT_THROW(DataFile::OpenExisting(small, 20000), UsageError);
  auto ok = DataFile::OpenExisting(small, 0);
  EXPECT_EQ(ok->Bytes(), 10000u);
  EXPECT_FALSE(ok->Temporary());
  ok.reset();
  EXPECT_TRUE(fs::exists(small));  // the user's file is never removed
}

// ---- CLI
// -----------------------------------------------------------------------------------------

using testing::ExpectUsageError;

TEST(MmapCli, BadInputExitsTwoWithOneLine) {
  TempDir dir("sysbench-mmap-test");
  ExpectUsageError({"mmap", "--size", "0"}, "--size");
  ExpectUsageError({"mmap", "--size", "-1"}, "--size");
  ExpectUsageError({"mmap", "--size", "10P"}, "--size");
  ExpectUsageError({"mmap", "--size", "abc"}, "--size");
  ExpectUsageError({"mmap", "--size", "1e40"}, "--size");
  ExpectUsageError({"mmap", "--size", "900T"}, "--size");  // more than the memory available
  ExpectUsageError({"mmap", "--file-size", "0"}, "--file-size");
  ExpectUsageError({"mmap", "--file-size", "-5"}, "--file-size");
  ExpectUsageError({"mmap", "--scenario", "bogus"}, "--scenario");
  ExpectUsageError({"mmap", "--buffers", "4K,0"}, "--buffers");
  ExpectUsageError({"mmap", "--buffers", "4K,2G"}, "--buffers");
  ExpectUsageError({"mmap", "--dir", (dir.Path() / "missing").string()}, "--dir");
  ExpectUsageError({"mmap", "--dir", "/dev/null"}, "--dir");
  ExpectUsageError({"mmap", "--dir", dir.Str(), "--file-size", "900T"}, "at most 16 GiB");
  // Tiny read buffers would make one pass over the file take minutes.
  ExpectUsageError({"mmap", "--buffers", "1,2"}, "below the minimum of 512 B");
  ExpectUsageError({"mmap", "--buffers", "4K,511"}, "--buffers '4K,511'");
  ExpectUsageError({"mmap", "--file", dir.Str()}, "directory");
  ExpectUsageError({"mmap", "--file", "/dev/null"}, "regular");
  ExpectUsageError({"mmap", "--file", (dir.Path() / "missing").string()}, "--file");
  const std::string empty = (dir.Path() / "empty").string();
  std::ofstream(empty).close();
  ExpectUsageError({"mmap", "--file", empty}, "empty");
  const std::string small = (dir.Path() / "small").string();
  std::ofstream(small) << std::string(10000, 'x');
  ExpectUsageError({"mmap", "--file", small, "--file-size", "1M"}, "fewer");
  EXPECT_EQ(dir.Files(), 2u);  // nothing was created by the failed runs
}

TEST(MmapCli, TinyRunReportsEveryScenarioAndCleansUp) {
  TempDir dir("sysbench-mmap-test");
  const CliRun run = RunSysbench({"--quick", "--quiet", "--format", "json", "mmap", "--size", "8M",
                                  "--file-size", "4M", "--dir", dir.Str(), "--buffers", "4K,1M"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(dir.Files(), 0u);
  const auto doc = nlohmann::json::parse(run.out);
  std::map<std::string, nlohmann::json> cases;
  for (const auto& r : doc["results"]) cases[r["case"].get<std::string>()] = r;
  const auto metric = [&](const std::string& id, const std::string& name) -> nlohmann::json {
    for (const auto& m : cases.at(id)["metrics"]) {
      if (m["name"] == name) return m;
    }
    ADD_FAILURE() << id << " has no metric " << name;
    return nlohmann::json();
  };
  for (const char* id :
       {"anon-touch/rss/before-map", "anon-touch/lazy/map", "anon-touch/lazy/first-touch",
        "anon-touch/lazy/second-touch", "anon-touch/populate/map",
        "anon-touch/populate/first-touch", "anon-touch/thp/first-touch", "file-read/hot/seq/mmap",
        "file-read/hot/random/mmap", "file-read/cold/seq/mmap", "file-read/cold/random/mmap",
        "mmap-vs-read/read/buffer=4096", "mmap-vs-read/pread/buffer=1048576", "mmap-vs-read/mmap",
        "mmap-vs-read/mmap-sequential", "mmap-vs-read/mmap-willneed", "residency/dropped",
        "residency/read-all"}) {
    EXPECT_TRUE(cases.count(id)) << id;
  }
  // Lazy allocation: the first touch faults ~2048 pages in and RSS grows by about 8 MiB.
  EXPECT_GE(metric("anon-touch/lazy/first-touch", "minor_faults")["value"].get<std::uint64_t>(),
            2048u / 16);
  const auto rss_before = metric("anon-touch/rss/before-map", "rss_bytes")["value"].get<double>();
  const auto rss_mapped = metric("anon-touch/lazy/map", "rss_bytes")["value"].get<double>();
  const auto rss_touched =
      metric("anon-touch/lazy/first-touch", "rss_bytes")["value"].get<double>();
  EXPECT_LT(rss_mapped, rss_before + 1e6);
  EXPECT_GT(rss_touched, rss_mapped + 6e6);
  EXPECT_GT(metric("anon-touch/populate/map", "rss_bytes")["value"].get<double>(),
            rss_before + 6e6);
  const auto hot = metric("file-read/hot/seq/mmap", "gbps");
  EXPECT_EQ(hot["unit"], "GB/s");
  EXPECT_GT(hot["value"].get<double>(), 0.0);
  EXPECT_EQ(cases["mmap-vs-read/read/buffer=4096"]["params"]["buffer_bytes"], "4096");
  EXPECT_EQ(cases["file-read/hot/seq/mmap"]["params"]["cache"], "hot");
  EXPECT_NEAR(metric("residency/read-all", "resident_pct")["value"].get<double>(), 100.0, 0.01);
  if (!OnMemoryFilesystem(dir.Str())) {
    const auto& cold = cases["file-read/cold/seq/mmap"];
    if (!cold.contains("skipped")) {
      EXPECT_LT(metric("file-read/cold/seq/mmap", "resident_pct")["value"].get<double>(), 10.0);
    }
    EXPECT_LT(metric("residency/mapped", "resident_pct")["value"].get<double>(), 10.0);
  }
}

class CollectingSink : public ResultSink {
 public:
  void Emit(Result result) override { results.push_back(std::move(result)); }
  std::vector<Result> results;
};

TEST(MmapCli, RunsWithDefaultsWithoutAddOptions) {
  // The `all` suite constructs commands and runs them with their defaults (--quick here).
  TempDir dir("sysbench-mmap-test");
  const char* old_tmpdir = std::getenv("TMPDIR");
  const std::string saved = old_tmpdir ? old_tmpdir : "";
  setenv("TMPDIR", dir.Str().c_str(), 1);
  RunConfig config;
  config.quick = true;
  Notes notes(true);
  RunContext context{config, notes};
  CollectingSink sink;
  const auto start = std::chrono::steady_clock::now();
  MakeMmapCommand()->Run(context, sink);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (old_tmpdir) {
    setenv("TMPDIR", saved.c_str(), 1);
  } else {
    unsetenv("TMPDIR");
  }
  EXPECT_EQ(dir.Files(), 0u);
  EXPECT_GE(sink.results.size(), 25u);
  EXPECT_LT(seconds, 30.0);  // the bound is 3 s on a quiet machine; tests tolerate load
  std::cerr << "mmap --quick with defaults: " << seconds << " s\n";
}

// ---- signals
// -------------------------------------------------------------------------------------

// Starts the built binary on a long run writing into `dir`, waits until its temp file is complete,
// sends `signal_number`, and checks it died of it and left nothing behind.
void KillMidRun(int signal_number) {
  TempDir dir("sysbench-mmap-test");
  const std::string dir_arg = dir.Str();
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_WRONLY);
    dup2(null_fd, 1);
    dup2(null_fd, 2);
    execl(SYSBENCH_BINARY, SYSBENCH_BINARY, "--quiet", "--repetitions", "100000", "mmap",
          "--scenario", "mmap-vs-read", "--file-size", "16M", "--buffers", "4K", "--dir",
          dir_arg.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  bool complete = false;
  for (int i = 0; i < 600 && !complete; ++i) {  // up to 30 s on a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (const auto& entry : fs::directory_iterator(dir.Path())) {
      std::error_code ec;
      if (fs::file_size(entry.path(), ec) == (16u << 20)) complete = true;
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // into the measured passes
  kill(pid, signal_number);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(complete) << "the temporary file never reached its full size";
  EXPECT_TRUE(WIFSIGNALED(status)) << "status " << status;
  if (WIFSIGNALED(status)) {
    EXPECT_EQ(WTERMSIG(status), signal_number);
  }
  EXPECT_EQ(dir.Files(), 0u) << "a temporary file survived the signal";
}

TEST(MmapSignals, SigintMidRunLeavesNoTempFile) { KillMidRun(SIGINT); }
TEST(MmapSignals, SigtermMidRunLeavesNoTempFile) { KillMidRun(SIGTERM); }

}  // namespace
}  // namespace sysbench::testing
