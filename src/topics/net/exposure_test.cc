// `sysbench net exposure`: the /proc/net line parser and the address classes, then a live audit
// of listeners this test opens on 127.0.0.1, ::1, 0.0.0.0 and :: (ports the kernel picks), each
// with the right verdict and owner, in every output format, and --fail-on-exposed.
#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <bit>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "cli_test_util.h"
#include "sysbench/units.h"
#include "temp_dir.h"
#include "topics/net/kernels/proc_net.h"
#include "topics/net/server.h"
#include "topics/net/socket.h"

namespace sysbench::testing {
namespace {

namespace k = kernels;

std::array<std::uint8_t, 16> V6(const char* text) {
  std::array<std::uint8_t, 16> a{};
  EXPECT_EQ(inet_pton(AF_INET6, text, a.data()), 1) << text;
  return a;
}

std::array<std::uint8_t, 16> V4(const char* text) {
  std::array<std::uint8_t, 16> a{};
  EXPECT_EQ(inet_pton(AF_INET, text, a.data()), 1) << text;
  return a;
}

TEST(NetExposure, ParsesProcNetLines) {
  if constexpr (std::endian::native != std::endian::little) {
    GTEST_SKIP() << "the sample lines are a little-endian machine's";
  }
  k::ProcSocket s;
  ASSERT_TRUE(k::ParseProcNetLine(
      "   0: 0100007F:1CDE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        "
      "0 12345 1 0000000000000000 100 0 0 10 0",
      false, &s));
  EXPECT_EQ(s.address, V4("127.0.0.1"));
  EXPECT_EQ(s.port, 7390);
  EXPECT_EQ(s.state, k::kTcpListen);
  EXPECT_EQ(s.uid, 1000u);
  EXPECT_EQ(s.inode, 12345u);
  ASSERT_TRUE(k::ParseProcNetLine(
      "  12: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A "
      "00000000:00000000 00:00000000 00000000     0        0 777 1 0000000000000000 100 0 0 10 0",
      true, &s));
  EXPECT_EQ(s.address, V6("::1"));
  EXPECT_EQ(s.port, 22);
  ASSERT_TRUE(k::ParseProcNetLine(
      " 3: 0000000000000000FFFF00000100007F:0035 00000000000000000000000000000000:0000 07 "
      "00000000:00000000 00:00000000 00000000   101        0 42 2 0000000000000000 0",
      true, &s));
  EXPECT_EQ(s.address, V6("::ffff:127.0.0.1"));
  EXPECT_EQ(s.state, k::kUdpUnconnected);
  for (const char* bad :
       {"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid", "",
        "   0: 0100007F:1CDE", "   0: 0100007G:1CDE 00000000:0000 0A 0:0 0:0 0 1 0 5",
        "   0: 0100007F:1CDE0 00000000:0000 0A 0:0 0:0 0 1 0 5",
        "   0: 00000000000000000000000001000000:0016 00000000:0000 0A 0:0 0:0 0 1 0 5",
        "   x: 0100007F:1CDE 00000000:0000 0A 0:0 0:0 0 1 0 5",
        "   0: 0100007F:1CDE 00000000:0000 0A 0:0 0:0 0 99999999999 0 5"}) {
    EXPECT_FALSE(k::ParseProcNetLine(
        bad, std::string(bad).find("0000000001000000") != std::string::npos, &s))
        << bad;
  }
}

TEST(NetExposure, ClassifiesBoundAddresses) {
  EXPECT_EQ(k::ClassifyAddress(false, V4("127.0.0.1")), k::BindScope::kLoopback);
  EXPECT_EQ(k::ClassifyAddress(false, V4("127.1.2.3")), k::BindScope::kLoopback);
  EXPECT_EQ(k::ClassifyAddress(false, V4("0.0.0.0")), k::BindScope::kWildcard);
  EXPECT_EQ(k::ClassifyAddress(false, V4("192.0.2.2")), k::BindScope::kAddress);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::1")), k::BindScope::kLoopback);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::")), k::BindScope::kWildcard);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::ffff:127.0.0.1")), k::BindScope::kLoopback);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::ffff:0.0.0.0")), k::BindScope::kWildcard);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::ffff:10.1.2.3")), k::BindScope::kAddress);
  EXPECT_EQ(k::ClassifyAddress(true, V6("fd00::2")), k::BindScope::kAddress);
  EXPECT_EQ(k::ClassifyAddress(true, V6("::2")), k::BindScope::kAddress);
}

// What the machine running the test has: up non-loopback interfaces with IPv4 / IPv6 addresses.
struct Machine {
  bool v4 = false, v6 = false, v6_takes_v4 = true;
  Machine() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return;
    for (const ifaddrs* i = list; i != nullptr; i = i->ifa_next) {
      if (i->ifa_addr == nullptr || !(i->ifa_flags & IFF_UP) || (i->ifa_flags & IFF_LOOPBACK)) {
        continue;
      }
      v4 = v4 || i->ifa_addr->sa_family == AF_INET;
      v6 = v6 || i->ifa_addr->sa_family == AF_INET6;
    }
    freeifaddrs(list);
    std::ifstream in("/proc/sys/net/ipv6/bindv6only");
    int only = 0;
    if (in >> only) v6_takes_v4 = only == 0;
  }
  bool HasIpv6() const {
    const int fd = socket(AF_INET6, SOCK_STREAM, 0);
    if (fd >= 0) close(fd);
    return fd >= 0;
  }
};

struct Listener {
  net::Fd fd;
  std::uint16_t port = 0;
  Listener(const char* address, int type) {
    fd = net::BindSocket(net::ParseAddress(address, 0, "test"), type);
    if (type == SOCK_STREAM) {
      EXPECT_EQ(listen(fd.Get(), 4), 0);
    }
    port = net::LocalEndpoint(fd.Get()).Port();
  }
};

struct Audit {
  int code = -1;
  std::map<std::string, std::map<std::string, nlohmann::json>> rows;  // case -> metric -> value
};

Audit RunAudit(std::vector<std::string> extra) {
  std::vector<std::string> args = {"--format", "json", "--quiet", "net", "exposure"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliRun run = RunSysbench(args);
  Audit audit;
  audit.code = run.code;
  EXPECT_LE(run.code, 1) << run.err;
  if (run.code > 1) return audit;
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  for (const auto& r : doc["results"]) {
    for (const auto& m : r["metrics"]) {
      audit.rows[r["case"].get<std::string>()][m["name"].get<std::string>()] = m["value"];
    }
  }
  return audit;
}

std::string Exposed(bool exposed) { return exposed ? "exposed" : "loopback-only"; }

TEST(NetExposure, FindsEachListenerWithTheRightVerdict) {
  const Machine machine;
  const bool ipv6 = machine.HasIpv6();
  struct Want {
    const char* address;
    const char* shown;  // as the case id writes it
    int type;
    bool exposed;
  };
  std::vector<Want> wants = {
      {"127.0.0.1", "127.0.0.1", SOCK_STREAM, false},
      {"0.0.0.0", "0.0.0.0", SOCK_STREAM, machine.v4},
      {"127.0.0.1", "127.0.0.1", SOCK_DGRAM, false},
      {"0.0.0.0", "0.0.0.0", SOCK_DGRAM, machine.v4},
  };
  if (ipv6) {
    const bool any6 = machine.v6 || (machine.v4 && machine.v6_takes_v4);
    wants.push_back({"::1", "[::1]", SOCK_STREAM, false});
    wants.push_back({"::", "[::]", SOCK_STREAM, any6});
    wants.push_back({"::1", "[::1]", SOCK_DGRAM, false});
    wants.push_back({"::", "[::]", SOCK_DGRAM, any6});
  }
  std::vector<std::unique_ptr<Listener>> listeners;
  std::vector<std::string> port_list;
  for (const Want& w : wants) {
    listeners.push_back(std::make_unique<Listener>(w.address, w.type));
    port_list.push_back(std::to_string(listeners.back()->port));
  }
  // `sysbench net server` binds 127.0.0.1 by default: loopback-only too.
  net::Server server(net::ServerOptions{});
  const std::uint16_t server_port = server.Listen().Port();
  port_list.push_back(std::to_string(server_port));

  const Audit audit = RunAudit({"--ports", Join(port_list, ",")});
  const std::string me = std::to_string(getpid()) + " (";
  for (std::size_t i = 0; i < wants.size(); ++i) {
    const Want& w = wants[i];
    const std::string id = std::string("exposure/") + (w.type == SOCK_STREAM ? "tcp/" : "udp/") +
                           w.shown + ":" + std::to_string(listeners[i]->port);
    SCOPED_TRACE(id);
    ASSERT_TRUE(audit.rows.count(id));
    const auto& m = audit.rows.at(id);
    EXPECT_EQ(m.at("verdict").get<std::string>().rfind(Exposed(w.exposed), 0), 0u)
        << m.at("verdict");
    EXPECT_EQ(m.at("exposed_interfaces").get<std::uint64_t>() > 0, w.exposed);
    EXPECT_EQ(m.at("bound_to"), std::string(w.address).find_first_not_of("0.:") == std::string::npos
                                    ? "every interface"
                                    : "loopback");
    EXPECT_EQ(m.at("owner").get<std::string>().rfind(me, 0), 0u) << m.at("owner");
  }
  const std::string server_id = "exposure/tcp/127.0.0.1:" + std::to_string(server_port);
  ASSERT_TRUE(audit.rows.count(server_id));
  EXPECT_EQ(audit.rows.at(server_id).at("verdict"), "loopback-only");
  const std::uint64_t exposed = audit.rows.at("exposure/summary").at("exposed");
  EXPECT_EQ(audit.code, 0);  // without --fail-on-exposed, exposure is reported, not a failure
  std::uint64_t want_exposed = 0;
  for (const Want& w : wants) want_exposed += w.exposed;
  EXPECT_EQ(exposed, want_exposed);
}

TEST(NetExposure, FailOnExposedHonoursTheAllowList) {
  const Machine machine;
  const Listener any("0.0.0.0", SOCK_STREAM);
  const Listener local("127.0.0.1", SOCK_STREAM);
  const std::string any_port = std::to_string(any.port);
  EXPECT_EQ(RunAudit({"--ports", any_port, "--fail-on-exposed"}).code, machine.v4 ? 1 : 0);
  EXPECT_EQ(RunAudit({"--ports", any_port, "--fail-on-exposed", "--allow", any_port}).code, 0);
  EXPECT_EQ(RunAudit({"--ports", any_port, "--fail-on-exposed", "--allow", "tcp:" + any_port}).code,
            0);
  EXPECT_EQ(RunAudit({"--ports", any_port, "--fail-on-exposed", "--allow", "udp:" + any_port}).code,
            machine.v4 ? 1 : 0);
  EXPECT_EQ(RunAudit({"--ports", std::to_string(local.port), "--fail-on-exposed"}).code, 0);
}

TEST(NetExposure, OutputParsesInEveryFormat) {
  const Listener local("127.0.0.1", SOCK_STREAM);
  const std::string port = std::to_string(local.port);
  for (const char* format :
       {"text", "tsv", "csv", "json", "jsonl", "markdown", "html", "gbench-json"}) {
    SCOPED_TRACE(format);
    const CliRun run =
        RunSysbench({"--format", format, "--quiet", "net", "exposure", "--ports", port});
    ASSERT_EQ(run.code, 0) << run.err;
    EXPECT_NE(run.out.find(port), std::string::npos);
    const std::string f = format;
    if (f == "json" || f == "gbench-json") {
      EXPECT_TRUE(nlohmann::json::accept(run.out));
    }
    if (f == "jsonl") {
      std::istringstream lines(run.out);
      for (std::string line; std::getline(lines, line);) {
        EXPECT_TRUE(nlohmann::json::accept(line)) << line;
      }
    }
    if (f == "tsv" || f == "csv") {
      const char sep = f == "tsv" ? '\t' : ',';
      EXPECT_NE(run.out.find(std::string("verdict") + sep + "loopback-only"), std::string::npos)
          << run.out;
    }
  }
}

// A stand-in for the Docker daemon: answers one GET /containers/json with the seed's two
// containers, `docker run -p 0.0.0.0:300:80` and `-p 127.0.0.1:301:80` (and one unpublished port).
class FakeDocker {
 public:
  explicit FakeDocker(const std::string& path) {
    listener_ = net::Fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, path.c_str(), path.size());
    EXPECT_EQ(bind(listener_.Get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(listener_.Get(), 1), 0);
    thread_ = std::thread([this] { Serve(); });
  }
  ~FakeDocker() { thread_.join(); }

 private:
  void Serve() {
    if (!net::WaitReadable(listener_.Get(), 10000)) return;
    net::Fd peer(accept(listener_.Get(), nullptr, nullptr));
    char request[512];
    (void)recv(peer.Get(), request, sizeof request, 0);
    const std::string body =
        R"([{"Id":"0123456789abcdef","Names":["/public"],"Ports":[{"IP":"0.0.0.0","PrivatePort":80,)"
        R"("PublicPort":300,"Type":"tcp"},{"PrivatePort":443,"Type":"tcp"}]},)"
        R"({"Id":"fedcba9876543210","Names":["/private"],"Ports":[{"IP":"127.0.0.1",)"
        R"("PrivatePort":80,"PublicPort":301,"Type":"tcp"}]}])";
    const std::string reply = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n" + body;
    net::SendAll(peer.Get(), reply.data(), reply.size(), MSG_NOSIGNAL);
  }
  net::Fd listener_;
  std::thread thread_;
};

TEST(NetExposure, DockerPublishedPortsGetTheSameVerdicts) {
  const Machine machine;
  const TempDir dir;
  const std::string path = (dir / "docker.sock").string();
  Audit audit;
  {
    const FakeDocker docker(path);
    audit = RunAudit({"--ports", "300,301", "--docker-socket", path});
  }
  ASSERT_TRUE(audit.rows.count("exposure/docker/public/tcp/0.0.0.0:300"));
  ASSERT_TRUE(audit.rows.count("exposure/docker/private/tcp/127.0.0.1:301"));
  EXPECT_EQ(audit.rows.at("exposure/docker/public/tcp/0.0.0.0:300")
                .at("verdict")
                .get<std::string>()
                .rfind(Exposed(machine.v4), 0),
            0u);
  EXPECT_EQ(audit.rows.at("exposure/docker/private/tcp/127.0.0.1:301").at("verdict"),
            "loopback-only");
  EXPECT_EQ(audit.rows.at("exposure/summary").at("docker"), "asked");
}

using testing::ExpectUsageError;

TEST(NetExposure, BadInputExitsTwoWithOneLine) {
  ExpectUsageError({"net", "exposure", "--proto", "sctp"}, "--proto");
  ExpectUsageError({"net", "exposure", "--ports", "0"}, "--ports");
  ExpectUsageError({"net", "exposure", "--ports", "70000"}, "--ports");
  ExpectUsageError({"net", "exposure", "--allow", "tcp:0"}, "--allow");
  ExpectUsageError({"net", "exposure", "--allow", "icmp:5"}, "--allow");
  ExpectUsageError({"net", "exposure", "--allow", "ssh"}, "--allow");
}

}  // namespace
}  // namespace sysbench::testing
