#pragma once

namespace sysbench {
const char* Version();
const char* BuildType();
bool OptimizedBuild();
}  // namespace sysbench
