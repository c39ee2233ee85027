#include "sysbench/notes.h"

namespace sysbench {

void Notes::Note(const std::string& text) { Say("sysbench: note: " + text); }

void Notes::Warn(const std::string& text) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (said_.count("w:" + text) != 0) return;
    said_.insert("w:" + text);
    warnings_.push_back(text);
  }
  if (!quiet_) err_ << "sysbench: warning: " << text << std::endl;
}

void Notes::WarnLater(const std::string& text) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_.push_back(text);
}

void Notes::Flush() {
  std::vector<std::string> pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    pending.swap(pending_);
  }
  for (const std::string& text : pending) Warn(text);
}

std::vector<std::string> Notes::Warnings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> all = warnings_;
  all.insert(all.end(), pending_.begin(), pending_.end());
  return all;
}

void Notes::Say(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!said_.insert(line).second || quiet_) return;
  err_ << line << std::endl;
}

}  // namespace sysbench
