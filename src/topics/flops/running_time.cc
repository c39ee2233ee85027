#include "topics/flops/running_time.h"

#include <algorithm>

namespace sysbench {

double ShareOfWall(double cpu, double wall) {
  return wall > 0 && cpu > 0 ? std::min(1.0, cpu / wall) : 1.0;
}

}  // namespace sysbench
