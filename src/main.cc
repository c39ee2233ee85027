#include <iostream>
#include <string>
#include <vector>

#include "sysbench/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv, argv + argc);
  return sysbench::RunCli(args, std::cout, std::cerr);
}
