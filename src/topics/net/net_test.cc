// `sysbench net`: the wire-format parsers, the server and client on loopback (bounded counts and
// time), a server that survives garbage, oversize frames and silent peers, and bad input (exit 2).
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "cli_test_util.h"
#include "sysbench/command.h"
#include "sysbench/error.h"
#include "topics/net/client.h"
#include "topics/net/kernels/net_protocol.h"
#include "topics/net/server.h"
#include "topics/net/socket.h"

namespace sysbench::testing {
namespace {

namespace k = kernels;
using net::Endpoint;

TEST(NetProtocol, FrameHeaderRoundTripAndBounds) {
  std::uint8_t buf[k::kFrameHeaderBytes];
  k::WriteFrameHeader(k::FrameType::kEcho, 1000, buf);
  k::FrameHeader h;
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 1000, &h), k::FrameStatus::kOk);
  EXPECT_EQ(h.type, k::FrameType::kEcho);
  EXPECT_EQ(h.length, 1000u);
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 999, &h), k::FrameStatus::kTooLarge);
  EXPECT_EQ(k::ParseFrameHeader(buf, 5, 1000, &h), k::FrameStatus::kNeedMore);
  EXPECT_EQ(k::ParseFrameHeader(buf, 0, 1000, &h), k::FrameStatus::kNeedMore);
  buf[0] = 'G';
  EXPECT_EQ(k::ParseFrameHeader(buf, 1, 1000, &h), k::FrameStatus::kBadMagic);
  buf[0] = 'S';
  buf[2] = 9;
  EXPECT_EQ(k::ParseFrameHeader(buf, 3, 1000, &h), k::FrameStatus::kBadVersion);
  buf[2] = k::kFrameVersion;
  buf[3] = 0;
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 1000, &h), k::FrameStatus::kBadType);
  buf[3] = 99;
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 1000, &h), k::FrameStatus::kBadType);
  // Control frames must carry exactly their payload.
  k::WriteFrameHeader(k::FrameType::kStream, 7, buf);
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 1000, &h), k::FrameStatus::kBadPayload);
  k::WriteFrameHeader(k::FrameType::kStream, 8, buf);
  EXPECT_EQ(k::ParseFrameHeader(buf, sizeof(buf), 1000, &h), k::FrameStatus::kOk);
  // Length is big-endian on the wire, on any CPU.
  k::WriteFrameHeader(k::FrameType::kEcho, 0x01020304, buf);
  EXPECT_EQ(buf[4], 1);
  EXPECT_EQ(buf[7], 4);
}

TEST(NetProtocol, DatagramsAndSequenceTracking) {
  std::uint8_t buf[32] = {};
  k::Datagram d{k::DatagramKind::kData, 0xdeadbeef, 42};
  k::WriteDatagramHeader(d, buf);
  k::Datagram got;
  ASSERT_TRUE(k::ParseDatagram(buf, sizeof(buf), &got));
  EXPECT_EQ(got.token, 0xdeadbeefu);
  EXPECT_EQ(got.sequence, 42u);
  EXPECT_FALSE(k::ParseDatagram(buf, k::kDatagramHeaderBytes - 1, &got));
  buf[2] = 7;
  EXPECT_FALSE(k::ParseDatagram(buf, sizeof(buf), &got));

  std::uint64_t seen[2] = {};
  k::SequenceTracker t(100, seen);
  for (std::uint64_t s : {0u, 1u, 3u, 2u, 2u, 5u, 200u, 99u}) t.Add(s);
  EXPECT_EQ(t.Received(), 6u);   // 0 1 3 2 5 99
  EXPECT_EQ(t.Reordered(), 1u);  // 2 after 3
  EXPECT_EQ(t.Duplicates(), 1u);
  EXPECT_EQ(t.Invalid(), 1u);
  EXPECT_EQ(t.Lost(), 94u);
}

TEST(NetProtocol, HttpRequestParser) {
  k::HttpHead h;
  const std::string minimal = net::MinimalHttpRequest();
  ASSERT_EQ(k::ParseHttpRequest(minimal, 8192, &h), k::HttpStatus::kOk);
  EXPECT_EQ(h.method, "GET");
  EXPECT_EQ(h.target, "/");
  EXPECT_EQ(h.head_bytes, minimal.size());
  const std::string realistic = net::RealisticHttpRequest();
  ASSERT_EQ(k::ParseHttpRequest(realistic, 8192, &h), k::HttpStatus::kOk);
  EXPECT_EQ(h.head_bytes, realistic.size());
  EXPECT_GE(realistic.size(), 700u);
  EXPECT_LE(realistic.size(), 800u);
  EXPECT_EQ(k::ParseHttpRequest("GET / HTTP/1.1\r\nHost: x\r\n", 8192, &h),
            k::HttpStatus::kNeedMore);
  EXPECT_EQ(k::ParseHttpRequest(std::string(9000, 'A'), 8192, &h), k::HttpStatus::kTooLarge);
  EXPECT_EQ(k::ParseHttpRequest("GET / HTTP/1.1\r\nNoColon\r\n\r\n", 8192, &h),
            k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpRequest("GET nope HTTP/1.1\r\n\r\n", 8192, &h), k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpRequest("get / HTTP/1.1\r\n\r\n", 8192, &h), k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpRequest("GET / HTTP/9\r\n\r\n", 8192, &h), k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpRequest("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\n", 8192, &h),
            k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpRequest("GET / HTTP/1.1\r\nConnection: close\r\n\r\n", 8192, &h),
            k::HttpStatus::kOk);
  EXPECT_TRUE(h.close);
}

TEST(NetProtocol, HttpResponseParser) {
  k::HttpHead h;
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
  ASSERT_EQ(k::ParseHttpResponse(ok, 8192, 100, &h), k::HttpStatus::kOk);
  EXPECT_EQ(h.status_code, 200);
  EXPECT_EQ(h.content_length, 2u);
  EXPECT_EQ(h.head_bytes, ok.size() - 2);
  EXPECT_EQ(k::ParseHttpResponse("HTTP/1.1 200 OK\r\n\r\n", 8192, 100, &h), k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpResponse("HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", 8192, 100, &h),
            k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpResponse("HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
                                 8192, 100, &h),
            k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpResponse("HTTP/1.1 2x0 OK\r\nContent-Length: 1\r\n\r\n", 8192, 100, &h),
            k::HttpStatus::kBad);
  EXPECT_EQ(k::ParseHttpResponse("HTTP/1.1 200", 8192, 100, &h), k::HttpStatus::kNeedMore);
}

TEST(NetSocket, AddressesAreNumericOnly) {
  EXPECT_TRUE(net::ParseAddress("127.0.0.1", 1, "--host").IsLoopback());
  EXPECT_TRUE(net::ParseAddress("localhost", 1, "--host").IsLoopback());
  EXPECT_TRUE(net::ParseAddress("::1", 1, "--host").IsLoopback());
  EXPECT_TRUE(net::ParseAddress("[::1]", 1, "--host").IsLoopback());
  EXPECT_FALSE(net::ParseAddress("0.0.0.0", 1, "--bind").IsLoopback());
  EXPECT_EQ(net::ParseAddress("127.0.0.1", 7390, "--host").ToString(), "127.0.0.1:7390");
  EXPECT_THROW(net::ParseAddress("example.com", 1, "--host"), UsageError);
  EXPECT_THROW(net::ParseAddress("999.1.1.1", 1, "--host"), UsageError);
  EXPECT_THROW(net::ParsePort("0", "--port", false), UsageError);
  EXPECT_EQ(net::ParsePort("0", "--port", true), 0);
  EXPECT_THROW(net::ParsePort("65536", "--port", true), UsageError);
}

// A server on 127.0.0.1 and an ephemeral port, serving in a thread until stopped.
class ServerFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    net::ServerOptions options;
    options.max_sessions = 0;
    options.idle_timeout_s = 30;
    options.peer_timeout_s = 0.3;
    options.max_frame = 64 * 1024;
    server_ = std::make_unique<net::Server>(options);
    endpoint_ = server_->Listen();
    thread_ = std::thread([this] { stats_ = server_->Serve(); });
  }
  void TearDown() override {
    if (thread_.joinable()) StopServer();
  }
  void StopServer() {
    server_->Stop();
    thread_.join();
  }
  // A raw TCP connection for misbehaving on purpose.
  net::Fd Raw() { return net::ConnectTcp(endpoint_, 2.0); }
  // True when the server closed the connection (read returns 0 or an error within 3 s).
  static bool ClosedByServer(int fd) {
    char buf[256];
    for (int i = 0; i < 30; ++i) {
      const ssize_t n = ::recv(fd, buf, sizeof(buf), 0);
      if (n == 0) return true;
      if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return true;
    }
    return false;
  }
  void ExpectServerStillWorks() {
    net::Client client(endpoint_, 2.0);
    EXPECT_EQ(client.TcpRtt(16, 1, 5, 2.0).size(), 5u);
    client.Bye();
  }

  std::unique_ptr<net::Server> server_;
  Endpoint endpoint_;
  std::thread thread_;
  net::ServerStats stats_;
};

TEST_F(ServerFixture, ListensOnLoopbackOnly) {
  EXPECT_TRUE(endpoint_.IsLoopback());
  EXPECT_NE(endpoint_.Port(), 0);
}

TEST_F(ServerFixture, ClientMeasuresEverythingOnLoopback) {
  {
    net::Client client(endpoint_, 2.0);
    const std::vector<double> tcp = client.TcpRtt(1000, 5, 50, 2.0);
    EXPECT_EQ(tcp.size(), 50u);
    for (double us : tcp) EXPECT_GT(us, 0);
    const net::UdpRttResult udp = client.UdpRtt(100, 5, 50, 2.0);
    EXPECT_EQ(udp.micros.size() + udp.lost, 50u);
    EXPECT_GT(udp.micros.size(), 0u);
    EXPECT_GT(client.TcpStream(3 << 20, 128 * 1024), 0);
    const net::UdpSinkResult sink = client.UdpSink(1000, 10e6, 0.05);  // 10 Mbit/s, ~63 datagrams
    EXPECT_GT(sink.sent, 0u);
    EXPECT_LE(sink.received, sink.sent);
    EXPECT_GT(sink.received, 0u);
    EXPECT_EQ(sink.duplicates, 0u);
    EXPECT_EQ(sink.invalid, 0u);
    client.Bye();
  }
  {
    net::HttpClient http(endpoint_, 2.0);
    EXPECT_EQ(http.Request(net::MinimalHttpRequest()), 66u);
    EXPECT_EQ(http.Request(net::RealisticHttpRequest()), 66u);
  }
  StopServer();
  EXPECT_EQ(stats_.dropped, 0) << (stats_.drop_reasons.empty() ? "" : stats_.drop_reasons[0]);
  EXPECT_EQ(stats_.sessions, 2);
}

TEST_F(ServerFixture, RefusesOversizeFrames) {
  net::Fd raw = Raw();
  std::uint8_t header[k::kFrameHeaderBytes];
  k::WriteFrameHeader(k::FrameType::kEcho, 64 * 1024 + 1, header);
  ASSERT_TRUE(net::SendAll(raw.Get(), header, sizeof(header)));
  EXPECT_TRUE(ClosedByServer(raw.Get()));
  ExpectServerStillWorks();
  StopServer();
  ASSERT_GE(stats_.drop_reasons.size(), 1u);
  EXPECT_EQ(stats_.drop_reasons[0], "frame larger than the bound");
}

TEST_F(ServerFixture, SurvivesGarbageAndSilentPeers) {
  {
    net::Fd raw = Raw();
    std::uint8_t garbage[512];
    for (std::size_t i = 0; i < sizeof(garbage); ++i) {
      garbage[i] = static_cast<std::uint8_t>(i * 7 + 1);
    }
    net::SendAll(raw.Get(), garbage, sizeof(garbage));
    EXPECT_TRUE(ClosedByServer(raw.Get()));
  }
  {
    net::Fd raw = Raw();
    const char* bad = "SBxx garbage after a plausible start";
    net::SendAll(raw.Get(), bad, std::strlen(bad));
    EXPECT_TRUE(ClosedByServer(raw.Get()));
  }
  {
    net::Fd silent = Raw();  // says nothing: dropped after the 0.3 s peer timeout
    EXPECT_TRUE(ClosedByServer(silent.Get()));
  }
  {
    net::Fd half = Raw();  // half a frame, then silence
    std::uint8_t header[k::kFrameHeaderBytes];
    k::WriteFrameHeader(k::FrameType::kEcho, 100, header);
    net::SendAll(half.Get(), header, sizeof(header));
    net::SendAll(half.Get(), header, 4);
    EXPECT_TRUE(ClosedByServer(half.Get()));
  }
  {
    net::Fd http = Raw();  // an HTTP head without end: 431 and dropped
    std::string head = "GET / HTTP/1.1\r\n" + std::string(9000, 'x');
    net::SendAll(http.Get(), head.data(), head.size());
    char buf[128] = {};
    ASSERT_GT(::recv(http.Get(), buf, sizeof(buf) - 1, 0), 0);
    EXPECT_EQ(std::string(buf).rfind("HTTP/1.1 431", 0), 0u) << buf;
  }
  ExpectServerStillWorks();
  StopServer();
  EXPECT_EQ(stats_.dropped, 5);
}

TEST_F(ServerFixture, CliClientAgainstServer) {
  const CliRun run =
      RunSysbench({"--format", "json", "--quick", "--quiet", "net", "--proto", "tcp,udp,http",
                   "--sizes", "64", "--count", "20", "client", "--host", "127.0.0.1", "--port",
                   std::to_string(endpoint_.Port())});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  bool tcp = false, udp = false, stream = false, http = false;
  for (const auto& r : doc["results"]) {
    const std::string id = r["case"];
    tcp = tcp || id == "tcp/rtt/size=64";
    udp = udp || id == "udp/rtt/size=64";
    stream = stream || id.rfind("tcp/throughput", 0) == 0;
    http = http || id == "http/requests/headers=realistic";
  }
  EXPECT_TRUE(tcp && udp && stream && http) << run.out;
}

std::uint16_t FreePort() {
  net::Fd fd = net::BindSocket(net::ParseAddress("127.0.0.1", 0, "test"), SOCK_STREAM);
  return net::LocalEndpoint(fd.Get()).Port();
}

TEST(NetCli, ServerServesABoundedNumberOfSessions) {
  const std::uint16_t port = FreePort();
  CliRun server_run;
  std::thread server([&] {
    server_run = RunSysbench({"--format", "json", "--quiet", "net", "server", "--port",
                              std::to_string(port), "--sessions", "1", "--idle-timeout", "10"});
  });
  const Endpoint endpoint = net::ParseAddress("127.0.0.1", port, "test");
  std::unique_ptr<net::Client> client;
  for (int i = 0; i < 100 && !client; ++i) {
    try {
      client = std::make_unique<net::Client>(endpoint, 2.0);
    } catch (const RuntimeError&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_TRUE(client);
  EXPECT_EQ(client->TcpRtt(8, 1, 10, 2.0).size(), 10u);
  client->Bye();
  server.join();
  ASSERT_EQ(server_run.code, 0) << server_run.err;
  const auto doc = nlohmann::json::parse(server_run.out);
  const auto& r = doc["results"][0];
  EXPECT_EQ(r["case"], "server");
  bool sessions_ok = false;
  for (const auto& m : r["metrics"]) {
    if (m["name"] == "sessions") sessions_ok = m["value"] == 1;
  }
  EXPECT_TRUE(sessions_ok) << server_run.out;
}

TEST(NetCli, DefaultQuickRunInOneProcess) {
  const CliRun run = RunSysbench(
      {"--format", "json", "--quick", "--quiet", "net", "--sizes", "1,1K", "--count", "30"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  std::set<std::string> metrics;
  for (const auto& r : doc["results"]) {
    for (const auto& m : r["metrics"])
      metrics.insert(r["case"].get<std::string>() + ":" + m["name"].get<std::string>());
  }
  for (const char* want :
       {"tcp/rtt/size=1:p50_us", "tcp/rtt/size=1:p99_us", "tcp/rtt/size=1:p999_us",
        "tcp/rtt/size=1:max_us", "udp/rtt/size=1024:p50_us", "udp/rtt/size=1024:p99_us",
        "tcp/throughput/write=131072:gbps", "udp/throughput/size=1472:gbps",
        "udp/throughput/size=1472:loss_pct", "http/requests/headers=minimal:requests_per_s",
        "http/requests/headers=realistic:bytes_per_request"}) {
    EXPECT_TRUE(metrics.count(want)) << want;
  }
}

// --cpus pins the client (this thread, in process) and the server thread, and gives this thread
// its affinity back: `all` goes on with other commands on it.
TEST(NetCli, CpusPinsAndGivesTheAffinityBack) {
  cpu_set_t before;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof before, &before), 0);
  int first = 0;
  while (!CPU_ISSET(static_cast<std::size_t>(first), &before)) ++first;
  const CliRun run =
      RunSysbench({"--format", "json", "--quick", "--quiet", "--cpus", std::to_string(first), "net",
                   "--proto", "tcp", "--test", "rtt", "--sizes", "8", "--count", "20"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["results"].size(), 1u);
  EXPECT_EQ(doc["results"][0]["case"], "tcp/rtt/size=8");
  cpu_set_t after;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof after, &after), 0);
  EXPECT_TRUE(CPU_EQUAL(&before, &after));
}

using testing::ExpectUsageError;

TEST(NetCli, BadInputExitsTwoWithOneLine) {
  for (const char* size : {"-5", "0", "1e40", "abc", "10P", "2M"}) {
    ExpectUsageError({"net", "--sizes", size}, "--sizes");
  }
  ExpectUsageError({"net", "--sizes", "1,,2"}, "--sizes");
  ExpectUsageError({"net", "--proto", "sctp"}, "--proto");
  ExpectUsageError({"net", "--test", "bogus"}, "--test");
  ExpectUsageError({"net", "--proto", "http", "--test", "rtt"}, "no such case");
  ExpectUsageError({"net", "--count", "0"}, "--count");
  ExpectUsageError({"net", "--udp-rate", "0"}, "--udp-rate");
  ExpectUsageError({"net", "--udp-rate", "fast"}, "--udp-rate");
  ExpectUsageError({"net", "--udp-size", "8"}, "--udp-size");
  ExpectUsageError({"net", "--udp-size", "70000"}, "--udp-size");
  ExpectUsageError({"net", "--write-size", "0"}, "--write-size");
  ExpectUsageError({"net", "client", "--port", "0"}, "--port");
  ExpectUsageError({"net", "client", "--port", "70000"}, "--port");
  ExpectUsageError({"net", "client", "--port", "abc"}, "--port");
  ExpectUsageError({"net", "client", "--host", "999.1.1.1"}, "--host");
  ExpectUsageError({"net", "client", "--host", "example.com"}, "--host");
  ExpectUsageError({"net", "client", "--host", ""}, "--host");
  ExpectUsageError({"net", "server", "--port", "-1"}, "--port");
  ExpectUsageError({"net", "server", "--port", "65536"}, "--port");
  ExpectUsageError({"net", "server", "--bind", "nowhere"}, "--bind");
  ExpectUsageError({"net", "server", "--sessions", "-1"}, "--sessions");
  ExpectUsageError({"net", "server", "--idle-timeout", "soon"}, "--idle-timeout");
  ExpectUsageError({"net", "server", "--peer-timeout", "0"}, "--peer-timeout");
}

TEST(NetCli, RunsWithoutAddOptions) {
  // The suite runs commands with their defaults, without a CLI.
  RunConfig config;
  config.quick = true;
  config.quiet = true;
  Notes notes(true);
  RunContext context{config, notes};
  struct Collect final : ResultSink {
    std::vector<Result> results;
    void Emit(Result r) override { results.push_back(std::move(r)); }
  } sink;
  auto commands = MakeCommands();
  for (auto& c : commands) {
    if (c->Name() == "net") c->Run(context, sink);
  }
  EXPECT_GE(sink.results.size(), 10u);
}

}  // namespace
}  // namespace sysbench::testing
