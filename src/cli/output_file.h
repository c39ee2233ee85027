// --output FILE: written to a temporary file beside FILE and renamed into place only when the run
// succeeds, so a failed or interrupted run never leaves a half-written file.
#pragma once

#include <fstream>
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
  TempFileGuard temp_;
  std::ofstream stream_;
};

}  // namespace sysbench
