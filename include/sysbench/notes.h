// Notes and warnings for the user, always on stderr, each said once, silenced by --quiet.
#pragma once

#include <iostream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace sysbench {

class Notes {
 public:
  explicit Notes(bool quiet, std::ostream& err = std::cerr) : quiet_(quiet), err_(err) {}
  // Prints "sysbench: note: TEXT" once per distinct text.
  void Note(const std::string& text);
  // Prints "sysbench: warning: TEXT" once per distinct text and keeps it for the JSON context.
  void Warn(const std::string& text);
  // Like Warn, but printed only at the next Flush: a run that fails on bad input then prints its
  // one error line and nothing else.
  void WarnLater(const std::string& text);
  void Flush();
  // Every warning, printed or pending, for the JSON context.
  std::vector<std::string> Warnings() const;

 private:
  void Say(const std::string& line);
  bool quiet_;
  std::ostream& err_;
  mutable std::mutex mutex_;
  std::set<std::string> said_;
  std::vector<std::string> warnings_;
  std::vector<std::string> pending_;
};

}  // namespace sysbench
