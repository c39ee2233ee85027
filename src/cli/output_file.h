// --output FILE: written to a temporary file beside FILE and renamed into place only when the run
// succeeds, so a failed or interrupted run never leaves a half-written file. A character device or
// fifo (/dev/null) is written in place.
#pragma once

#include <fstream>
#include <memory>
#include <string>

#include "sysbench/cleanup.h"

namespace sysbench {

class OutputFile {
 public:
  // Throws UsageError when FILE is a directory or its folder cannot take a new file.
  explicit OutputFile(const std::string& path);
  std::ostream& Stream() { return stream_; }
  // Flushes, closes and renames into place; throws RuntimeError on a write error.
  void Commit();

 private:
  std::string path_;
  bool in_place_;
  TempFileGuard temp_;
  std::ofstream stream_;
};

// Where a run's data goes: the --output file when a path is given, else `fallback` (stdout).
class DataOutput {
 public:
  DataOutput(const std::string& path, std::ostream& fallback)
      : fallback_(fallback), file_(path.empty() ? nullptr : std::make_unique<OutputFile>(path)) {}
  std::ostream& Stream() { return file_ ? file_->Stream() : fallback_; }
  // Puts the file in place (see OutputFile::Commit); nothing to do for the fallback stream.
  void Commit() {
    if (file_) file_->Commit();
  }

 private:
  std::ostream& fallback_;
  std::unique_ptr<OutputFile> file_;
};

}  // namespace sysbench
