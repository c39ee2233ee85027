// `sysbench net pairs`: client/server pairs between the tasks of a multi-node run, one round at a
// time, meeting through files in a folder every task can read (a shared file system).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sysbench::net {

// Rounds of disjoint pairs (the circle method) that cover every pair of `tasks` once: no task, and
// so no link, takes part in two tests of one round. The lower rank of a pair is the client.
std::vector<std::vector<std::pair<int, int>>> PairSchedule(int tasks);

// Files `DIR/KEY.RANK` holding one line, written whole (temp file + rename), waited for with a
// deadline so that a dead task fails its pairs, not the job. The files stay (a slower task may
// still read them); keys carry the job id, so one folder serves many jobs.
class Rendezvous {
 public:
  // Throws UsageError when `dir` is not a writable folder.
  Rendezvous(std::string dir, int rank, int count, double timeout_s);
  Rendezvous(const Rendezvous&) = delete;
  Rendezvous& operator=(const Rendezvous&) = delete;

  void Publish(const std::string& key, const std::string& value);
  // Whether this task's file for `key` exists already (left by an earlier run of the same job).
  bool Published(const std::string& key) const;
  // The value `rank` published under `key`, or nothing after the timeout.
  std::optional<std::string> WaitFor(const std::string& key, int rank) const;
  // Publishes `key` and waits for every rank's; returns the ranks that did not come in time.
  std::vector<int> Barrier(const std::string& key);

 private:
  std::string Path(const std::string& key, int rank) const;
  std::optional<std::string> Read(const std::string& key, int rank) const;
  std::string dir_;
  int rank_, count_;
  double timeout_s_;
};

}  // namespace sysbench::net
