#include "topics/net/exposure.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "topics/net/docker_ports.h"
#include "topics/net/kernels/proc_net.h"
#include "topics/net/socket.h"

namespace sysbench::net {
namespace {

namespace k = kernels;
using Address = std::array<std::uint8_t, 16>;

constexpr std::size_t kMaxProcFile = 64 << 20;  // /proc/net/tcp of a very busy host
constexpr std::size_t kMaxFdEntries = 1 << 20;  // /proc/*/fd links read for owners
constexpr double kOwnerScanSeconds = 3.0;

// At most max_bytes of a file; "" with *error set when it cannot be opened.
std::string ReadBounded(const std::string& path, std::size_t max_bytes, int* error) {
  *error = 0;
  Fd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.Valid()) {
    *error = errno;
    return "";
  }
  std::string text;
  char buffer[65536];
  while (text.size() < max_bytes) {
    const ssize_t n = read(fd.Get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, std::min(static_cast<std::size_t>(n), max_bytes - text.size()));
  }
  return text;
}

std::string AddressText(bool ipv6, const Address& a) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(ipv6 ? AF_INET6 : AF_INET, a.data(), text, sizeof text);
  return text;
}

struct Interface {
  std::string name;
  bool ipv6 = false;
  Address address{};
  bool loopback = false;
};

std::vector<Interface> Interfaces() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) throw SystemError("getifaddrs", errno);
  std::vector<Interface> out;
  for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
    if (i->ifa_addr == nullptr || (i->ifa_flags & IFF_UP) == 0) continue;
    Interface it;
    it.name = i->ifa_name;
    it.loopback = (i->ifa_flags & IFF_LOOPBACK) != 0;
    if (i->ifa_addr->sa_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
      std::memcpy(it.address.data(), &sin->sin_addr, 4);
    } else if (i->ifa_addr->sa_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
      std::memcpy(it.address.data(), &sin6->sin6_addr, 16);
      it.ipv6 = true;
    } else {
      continue;
    }
    out.push_back(it);
  }
  freeifaddrs(list);
  return out;
}

// Where a socket bound to `address` can be reached from: the interfaces (up now) that deliver to
// it. A dual-stack "::" also takes IPv4 unless the program set IPV6_V6ONLY (/proc does not say).
struct Reach {
  k::BindScope scope = k::BindScope::kAddress;
  std::vector<std::string> exposed;  // non-loopback interface names
  std::string detail;                // "eth0 192.0.2.2 fd00::2; lo 127.0.0.1"
};

Reach ReachOf(bool ipv6, const Address& address, const std::vector<Interface>& interfaces,
              bool v6_takes_v4) {
  Reach reach;
  reach.scope = k::ClassifyAddress(ipv6, address);
  const bool mapped = ipv6 && k::IsV4Mapped(address);
  Address v4{};
  if (mapped) std::memcpy(v4.data(), address.data() + 12, 4);
  std::map<std::string, std::vector<std::string>> by_name;
  for (const Interface& i : interfaces) {
    bool delivers = false;
    switch (reach.scope) {
      case k::BindScope::kLoopback:
        delivers = i.loopback && i.ipv6 == (ipv6 && !mapped);
        break;
      case k::BindScope::kWildcard:
        delivers = ipv6 && !mapped ? (i.ipv6 || v6_takes_v4) : !i.ipv6;
        break;
      case k::BindScope::kAddress:
        delivers = mapped ? (!i.ipv6 && i.address == v4) : (i.ipv6 == ipv6 && i.address == address);
        break;
    }
    if (!delivers) continue;
    by_name[i.name].push_back(AddressText(i.ipv6, i.address));
    if (!i.loopback && reach.scope != k::BindScope::kLoopback &&
        std::find(reach.exposed.begin(), reach.exposed.end(), i.name) == reach.exposed.end()) {
      reach.exposed.push_back(i.name);
    }
  }
  std::vector<std::string> parts;
  for (const auto& [name, addresses] : by_name) parts.push_back(name + " " + Join(addresses, " "));
  reach.detail = parts.empty() ? "none up" : Join(parts, "; ");
  return reach;
}

std::string Verdict(const Reach& reach) {
  if (!reach.exposed.empty()) {
    const std::size_t n = reach.exposed.size();
    return "exposed on " + std::to_string(n) + (n == 1 ? " interface" : " interfaces");
  }
  if (reach.scope == k::BindScope::kAddress && reach.detail == "none up") {
    return "on no interface now";
  }
  return "loopback-only";
}

const char* ScopeText(k::BindScope scope) {
  switch (scope) {
    case k::BindScope::kLoopback:
      return "loopback";
    case k::BindScope::kWildcard:
      return "every interface";
    case k::BindScope::kAddress:
      return "one address";
  }
  return "";
}

struct Owner {
  std::vector<std::string> pids;  // "1234 (nginx)"
};

// Which processes hold the wanted socket inodes, from the /proc/PID/fd links this user may read.
// Returns the owners and counts the processes whose descriptors were hidden.
std::map<std::uint64_t, Owner> Owners(const std::set<std::uint64_t>& inodes, int* hidden,
                                      bool* cut_short) {
  std::map<std::uint64_t, Owner> owners;
  *hidden = 0;
  *cut_short = false;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return owners;
  const auto start = SteadyClock::now();
  std::size_t links = 0;
  while (const dirent* entry = readdir(proc)) {
    const std::string pid = entry->d_name;
    if (pid.empty() ||
        !std::all_of(pid.begin(), pid.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      continue;
    }
    if (links > kMaxFdEntries || SecondsBetween(start, SteadyClock::now()) > kOwnerScanSeconds) {
      *cut_short = true;
      break;
    }
    const std::string fd_dir = "/proc/" + pid + "/fd";
    DIR* fds = opendir(fd_dir.c_str());
    if (fds == nullptr) {
      if (errno == EACCES || errno == EPERM) ++*hidden;
      continue;
    }
    std::string comm;
    while (const dirent* fd = readdir(fds)) {
      if (fd->d_name[0] == '.') continue;
      ++links;
      char target[64];
      const std::string link = fd_dir + "/" + fd->d_name;
      const ssize_t n = readlink(link.c_str(), target, sizeof target - 1);
      if (n <= 8) continue;
      target[n] = '\0';
      std::uint64_t inode = 0;
      if (std::sscanf(target, "socket:[%lu]", &inode) != 1 || inodes.count(inode) == 0) continue;
      if (comm.empty()) {
        int error = 0;
        comm = ReadBounded("/proc/" + pid + "/comm", 64, &error);
        while (!comm.empty() && comm.back() == '\n') comm.pop_back();
      }
      std::vector<std::string>& list = owners[inode].pids;
      const std::string who = pid + " (" + comm + ")";
      if (list.size() < 4 && std::find(list.begin(), list.end(), who) == list.end()) {
        list.push_back(who);
      }
    }
    closedir(fds);
  }
  closedir(proc);
  return owners;
}

struct Row {
  std::string proto;  // tcp, udp
  bool ipv6 = false;
  Address address{};
  std::uint16_t port = 0;
  std::uint32_t uid = 0;
  std::vector<std::uint64_t> inodes;
  std::string source = "/proc/net";
  std::string container;  // Docker rows
};

struct Allowed {
  std::set<std::uint16_t> any;
  std::set<std::pair<std::string, std::uint16_t>> by_proto;
  bool Has(const std::string& proto, std::uint16_t port) const {
    return any.count(port) > 0 || by_proto.count({proto, port}) > 0;
  }
};

Allowed ParseAllow(const std::string& text) {
  Allowed allowed;
  if (text.empty()) return allowed;
  for (const std::string& item : Split(text, ',')) {
    const std::size_t colon = item.find(':');
    const std::string proto = colon == std::string::npos ? "" : item.substr(0, colon);
    const std::string port = colon == std::string::npos ? item : item.substr(colon + 1);
    if (colon != std::string::npos && proto != "tcp" && proto != "udp") {
      throw UsageError("--allow '" + text + "': '" + item + "' must be PORT, tcp:PORT or udp:PORT");
    }
    const auto p = static_cast<std::uint16_t>(ParseInt(port, "--allow", 1, 65535));
    if (proto.empty()) {
      allowed.any.insert(p);
    } else {
      allowed.by_proto.insert({proto, p});
    }
  }
  return allowed;
}

std::string EndpointText(const Row& r) {
  const std::string a = AddressText(r.ipv6, r.address);
  return (r.ipv6 ? "[" + a + "]" : a) + ":" + std::to_string(r.port);
}

}  // namespace

void AddExposureOptions(CLI::App& sub, ExposureOptions& options) {
  sub.add_option("--proto", options.protos, "Protocols: tcp,udp (default both)");
  sub.add_option("--ports", options.ports, "Only these ports (default all)");
  sub.add_flag("--fail-on-exposed", options.fail_on_exposed,
               "Exit 1 when a socket outside --allow is reachable beyond loopback");
  sub.add_option("--allow", options.allow, "Exposed sockets that are fine: 22,tcp:443,udp:53");
  sub.add_option("--docker-socket", options.docker_socket,
                 "Docker's API socket (default /var/run/docker.sock)");
}

void RunExposure(const ExposureOptions& options, const RunContext& context, ResultSink& sink) {
  const std::vector<std::string> protos = ParseNameList(options.protos, "--proto", {"tcp", "udp"});
  std::set<std::uint16_t> only;
  if (!options.ports.empty()) {
    for (std::int64_t p : ParseIntList(options.ports, "--ports", 1, 65535)) {
      only.insert(static_cast<std::uint16_t>(p));
    }
  }
  const Allowed allowed = ParseAllow(options.allow);
  const std::vector<Interface> interfaces = Interfaces();
  int error = 0;
  const bool v6_takes_v4 =
      ReadBounded("/proc/sys/net/ipv6/bindv6only", 16, &error).rfind('1', 0) != 0;

  // One row per (proto, address, port): SO_REUSEPORT groups show once, with every owner.
  std::vector<Row> rows;
  std::map<std::string, std::size_t> index;
  for (const std::string& proto : protos) {
    for (const bool ipv6 : {false, true}) {
      const std::string path = "/proc/net/" + proto + (ipv6 ? "6" : "");
      const std::string text = ReadBounded(path, kMaxProcFile, &error);
      if (error != 0) {
        // No IPv6 in this kernel leaves no tcp6/udp6: nothing listens there.
        if (!(ipv6 && error == ENOENT))
          context.notes.Note("net exposure: " + path + ": " + std::strerror(error));
        continue;
      }
      for (const std::string& line : Split(text, '\n')) {
        k::ProcSocket s;
        if (!k::ParseProcNetLine(line, ipv6, &s)) continue;
        const bool bound =
            proto == "tcp" ? s.state == k::kTcpListen : s.state == k::kUdpUnconnected;
        if (!bound || s.port == 0 || (!only.empty() && only.count(s.port) == 0)) continue;
        Row row;
        row.proto = proto;
        row.ipv6 = ipv6;
        row.address = s.address;
        row.port = s.port;
        row.uid = s.uid;
        const std::string key = proto + " " + EndpointText(row);
        const auto found = index.find(key);
        if (found != index.end()) {
          rows[found->second].inodes.push_back(s.inode);
          continue;
        }
        row.inodes.push_back(s.inode);
        index[key] = rows.size();
        rows.push_back(row);
      }
    }
  }
  std::set<std::uint64_t> inodes;
  for (const Row& r : rows) inodes.insert(r.inodes.begin(), r.inodes.end());
  int hidden = 0;
  bool cut_short = false;
  const std::map<std::uint64_t, Owner> owners = Owners(inodes, &hidden, &cut_short);

  std::string docker_why;
  for (const PublishedPort& published : DockerPublishedPorts(options.docker_socket, &docker_why)) {
    Row row;
    row.source = "docker";
    row.container = published.container;
    row.proto = published.proto;
    row.ipv6 = published.ipv6;
    row.address = published.address;
    row.port = published.port;
    rows.push_back(row);
  }
  if (!docker_why.empty()) context.notes.Note("net exposure: Docker not asked: " + docker_why);

  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return std::tie(a.source, a.proto, a.port, a.ipv6) <
           std::tie(b.source, b.proto, b.port, b.ipv6);
  });
  std::uint64_t exposed = 0, loopback = 0, owner_hidden = 0;
  std::vector<std::string> failing;
  const uid_t me = getuid();
  for (const Row& row : rows) {
    if (row.source == "docker" &&
        std::find(protos.begin(), protos.end(), row.proto) == protos.end()) {
      continue;
    }
    if (row.source == "docker" && !only.empty() && only.count(row.port) == 0) continue;
    const Reach reach = ReachOf(row.ipv6, row.address, interfaces, v6_takes_v4);
    const std::string verdict = Verdict(reach);
    const bool is_exposed = !reach.exposed.empty();
    (is_exposed ? exposed : loopback) += 1;
    const std::string where = EndpointText(row);
    const std::string id = row.source == "docker"
                               ? "exposure/docker/" + row.container + "/" + row.proto + "/" + where
                               : "exposure/" + row.proto + "/" + where;
    Result r("net", id);
    r.Param("test", "exposure").Param("proto", row.proto);
    r.Param("family", row.ipv6 ? "ipv6" : "ipv4");
    r.Param("address", AddressText(row.ipv6, row.address)).Param("port", std::to_string(row.port));
    r.Param("source", row.source);
    r.Add({"verdict", verdict, "", Better::kNone, Source::kComputed});
    r.Add({"bound_to", std::string(ScopeText(reach.scope)), "", Better::kNone, Source::kLookedUp});
    r.Add({"exposed_interfaces", std::uint64_t{reach.exposed.size()}, "", Better::kNone,
           Source::kComputed});
    r.Add({"reachable_via", reach.detail, "", Better::kNone, Source::kLookedUp});
    std::string owner;
    if (row.source == "docker") {
      owner = "container " + row.container + " (docker-proxy or iptables DNAT)";
    } else {
      std::vector<std::string> who;
      for (std::uint64_t inode : row.inodes) {
        const auto o = owners.find(inode);
        if (o != owners.end()) {
          for (const std::string& p : o->second.pids) {
            if (std::find(who.begin(), who.end(), p) == who.end()) who.push_back(p);
          }
        }
      }
      if (!who.empty()) {
        owner = Join(who, ", ");
      } else if (row.uid != me && me != 0) {
        owner = "not visible (uid " + std::to_string(row.uid) + "'s process; root can see it)";
        ++owner_hidden;
      } else {
        owner = cut_short ? "not found (the scan of /proc stopped at its bound)"
                          : "not found (a kernel socket, or the process exited)";
      }
      r.Add({"uid", std::uint64_t{row.uid}, "", Better::kNone, Source::kLookedUp});
    }
    r.Add({"owner", owner, "", Better::kNone, Source::kLookedUp});
    if (is_exposed && !allowed.Has(row.proto, row.port)) failing.push_back(row.proto + " " + where);
    sink.Emit(std::move(r));
  }
  Result summary("net", "exposure/summary");
  summary.Param("test", "exposure");
  summary.Add({"sockets", std::uint64_t{exposed + loopback}, "", Better::kNone, Source::kLookedUp});
  summary.Add({"exposed", exposed, "", Better::kNone, Source::kComputed});
  summary.Add({"loopback_only", loopback, "", Better::kNone, Source::kComputed});
  summary.Add({"exposed_not_allowed", std::uint64_t{failing.size()}, "", Better::kLower,
               Source::kComputed});
  summary.Add({"owners_hidden", owner_hidden, "", Better::kNone, Source::kLookedUp});
  summary.Add({"docker", docker_why.empty() ? std::string("asked") : "not asked: " + docker_why, "",
               Better::kNone, Source::kLookedUp});
  sink.Emit(std::move(summary));
  if (hidden > 0 && owner_hidden > 0) {
    context.notes.Note("net exposure: " + std::to_string(hidden) +
                       " processes of other users hide their sockets; run as root to see owners");
  }
  if (cut_short) context.notes.Note("net exposure: the owner scan of /proc stopped at its bound");
  if (options.fail_on_exposed && !failing.empty()) {
    context.notes.Warn("net exposure: reachable beyond loopback and not in --allow: " +
                       Join(failing, ", "));
    context.exit_code = 1;
  }
}

}  // namespace sysbench::net
