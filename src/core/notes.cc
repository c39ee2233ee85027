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

std::vector<std::string> Notes::Warnings() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return warnings_;
}

void Notes::Say(const std::string& line) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!said_.insert(line).second || quiet_) return;
  err_ << line << std::endl;
}

}  // namespace sysbench
