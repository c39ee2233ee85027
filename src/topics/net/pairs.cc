#include "topics/net/pairs.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "sysbench/clock.h"
#include "sysbench/error.h"

namespace sysbench::net {
namespace {

constexpr auto kPoll = std::chrono::milliseconds(20);

}  // namespace

std::vector<std::vector<std::pair<int, int>>> PairSchedule(int tasks) {
  std::vector<std::vector<std::pair<int, int>>> rounds;
  if (tasks < 2) return rounds;
  // With an odd count, a phantom task `n - 1` gives each round one bye.
  const int n = tasks % 2 == 0 ? tasks : tasks + 1;
  std::vector<int> ring(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) ring[static_cast<std::size_t>(i)] = i;
  for (int r = 0; r < n - 1; ++r) {
    std::vector<std::pair<int, int>> round;
    for (int i = 0; i < n / 2; ++i) {
      const int a = ring[static_cast<std::size_t>(i)];
      const int b = ring[static_cast<std::size_t>(n - 1 - i)];
      if (a < tasks && b < tasks) round.emplace_back(std::min(a, b), std::max(a, b));
    }
    rounds.push_back(round);
    // Keep ring[0] in place and turn the rest by one.
    std::rotate(ring.begin() + 1, ring.end() - 1, ring.end());
  }
  return rounds;
}

Rendezvous::Rendezvous(std::string dir, int rank, int count, double timeout_s)
    : dir_(std::move(dir)), rank_(rank), count_(count), timeout_s_(timeout_s) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir_, ec) || access(dir_.c_str(), W_OK) != 0) {
    throw UsageError("--dir '" + dir_ + "': not a writable folder");
  }
}

std::string Rendezvous::Path(const std::string& key, int rank) const {
  return fmt::format("{}/{}.{}", dir_, key, rank);
}

void Rendezvous::Publish(const std::string& key, const std::string& value) {
  const std::string path = Path(key, rank_);
  const std::string temp = fmt::format("{}.tmp{}", path, getpid());
  {
    std::ofstream out(temp);
    out << value << '\n';
    if (!out.flush()) throw RuntimeError("cannot write '" + temp + "'");
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) throw RuntimeError("cannot rename '" + temp + "': " + ec.message());
}

bool Rendezvous::Published(const std::string& key) const {
  std::error_code ec;
  return std::filesystem::exists(Path(key, rank_), ec);
}

std::optional<std::string> Rendezvous::Read(const std::string& key, int rank) const {
  std::ifstream in(Path(key, rank));
  std::string line;
  if (in && std::getline(in, line)) return line;
  return std::nullopt;
}

std::optional<std::string> Rendezvous::WaitFor(const std::string& key, int rank) const {
  const auto deadline = SteadyClock::now() + std::chrono::duration<double>(timeout_s_);
  while (true) {
    if (std::optional<std::string> value = Read(key, rank)) return value;
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(kPoll);
  }
}

std::vector<int> Rendezvous::Barrier(const std::string& key) {
  Publish(key, "ok");
  // One deadline for all: a dead task costs the timeout once, not once per rank.
  const auto deadline = SteadyClock::now() + std::chrono::duration<double>(timeout_s_);
  std::vector<int> absent;
  for (int r = 0; r < count_; ++r) {
    if (r != rank_) absent.push_back(r);
  }
  while (!absent.empty()) {
    std::erase_if(absent, [&](int r) { return Read(key, r).has_value(); });
    if (absent.empty() || SteadyClock::now() >= deadline) break;
    std::this_thread::sleep_for(kPoll);
  }
  return absent;
}

}  // namespace sysbench::net
