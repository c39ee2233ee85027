// `sysbench net exposure`: a read-only audit of which listening TCP and bound UDP sockets (IPv4
// and IPv6) other machines can reach, from /proc/net and the interface list, with the owning
// process where this user may see it, and Docker's published ports when its socket is readable.
// It connects to nothing but the local Docker socket and changes nothing.
#pragma once

#include <string>

#include "sysbench/command.h"

namespace CLI {
class App;
}

namespace sysbench::net {

struct ExposureOptions {
  std::string protos = "tcp,udp";
  std::string ports;  // empty: every port
  bool fail_on_exposed = false;
  std::string allow;  // "22,tcp:443,udp:53": exposed sockets that do not fail the run
  std::string docker_socket = "/var/run/docker.sock";
};

void AddExposureOptions(CLI::App& sub, ExposureOptions& options);
// Emits one result per socket and a summary; sets context.exit_code = 1 when --fail-on-exposed
// finds an exposed socket outside the allow-list.
void RunExposure(const ExposureOptions& options, const RunContext& context, ResultSink& sink);

}  // namespace sysbench::net
