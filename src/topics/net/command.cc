// `sysbench net`: round-trip time, throughput and HTTP request rate over TCP and UDP, in one
// process on 127.0.0.1 by default, or across machines with `net server` / `net client`.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <exception>
#include <optional>
#include <thread>

#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/shard.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/net/client.h"
#include "topics/net/exposure.h"
#include "topics/net/kernels/net_protocol.h"
#include "topics/net/pairs.h"
#include "topics/net/server.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using net::Endpoint;

constexpr std::uint64_t kMaxMessage = 1 << 20;   // the server's frame bound
constexpr std::uint64_t kStreamChunk = 1 << 20;  // bytes per runner iteration
constexpr double kClientTimeout = 5.0;           // seconds any single wait may take
// Each UDP throughput pass sends for udp_seconds, so fewer passes than the global default.
constexpr TimingDefaults kUdpTiming{.repetitions = ByMode<int>{5, 3}};
const std::vector<std::string> kProtos = {"tcp", "udp", "http"};
const std::vector<std::string> kTests = {"rtt", "throughput", "requests"};

// --cpus A[,B]: the client (the timing thread) runs on A, the server thread on B (A when one CPU
// is given). Loopback figures depend on it: a round trip between two vCPUs of a VM pays two
// cross-CPU wake-ups (about 10x one CPU's), and the scheduler places two processes either way.
struct Placement {
  std::optional<int> client, server;
};

Placement PlacementOf(const std::vector<int>& cpus) {
  if (cpus.empty()) return {};
  return {cpus[0], cpus[cpus.size() > 1 ? 1 : 0]};
}

bool Has(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// "1G", "500M", "2.5G": bits per second, decimal multiples.
double ParseRate(const std::string& text, const std::string& option) {
  std::string number = text;
  double scale = 1;
  if (!number.empty()) {
    const char last = number.back();
    if (last == 'k' || last == 'K') scale = 1e3;
    if (last == 'M') scale = 1e6;
    if (last == 'G') scale = 1e9;
    if (scale != 1) number.pop_back();
  }
  const double value = ParseSeconds(number, option, 0, 1e12) * scale;
  if (!(value >= 1e3 && value <= 1e12)) {
    throw UsageError(option + " '" + text + "': must be a rate from 1k to 1000G bit/s");
  }
  return value;
}

struct Plan {
  std::vector<std::uint64_t> sizes;
  std::vector<std::string> protos, tests;
  int count = 0, warmup = 0;
  double rtt_seconds = 0;
  double udp_rate = 0;
  std::uint64_t udp_size = 0;
  std::uint64_t write_size = 0;
  int udp_reps = 0;
  double udp_seconds = 0;
};

std::vector<double> BatchMedians(const std::vector<double>& values, int batches) {
  std::vector<double> medians;
  const std::size_t n = values.size();
  const auto b = static_cast<std::size_t>(std::max(batches, 1));
  if (n < 5 * b) return {Median(values)};
  for (std::size_t i = 0; i < b; ++i) {
    const std::vector<double> part(values.begin() + static_cast<std::ptrdiff_t>(i * n / b),
                                   values.begin() + static_cast<std::ptrdiff_t>((i + 1) * n / b));
    medians.push_back(Median(part));
  }
  return medians;
}

Result RttResult(const std::string& proto, std::uint64_t size, const std::vector<double>& micros,
                 int batches) {
  Result r("net", proto + "/rtt/size=" + std::to_string(size));
  r.Param("proto", proto).Param("test", "rtt").Param("size_bytes", std::to_string(size));
  if (micros.empty()) {
    r.skipped = "no round trip completed";
    return r;
  }
  r.AddSampled("p50_us", BatchMedians(micros, batches), "us", Better::kLower);
  r.Add(Measured("p90_us", Percentile(micros, 90), "us", Better::kLower));
  r.Add(Measured("p99_us", Percentile(micros, 99), "us", Better::kLower));
  r.Add(Measured("p999_us", Percentile(micros, 99.9), "us", Better::kLower));
  r.Add(Measured("max_us", *std::max_element(micros.begin(), micros.end()), "us", Better::kLower));
  r.Add(Count("messages", micros.size()));
  return r;
}

// Tags each result of a pair with the pair: case "pair=0-1/tcp/rtt/size=64", params from and to.
class PairSink final : public ResultSink {
 public:
  PairSink(ResultSink& sink, std::string pair, int from, int to)
      : sink_(sink), pair_(std::move(pair)), from_(from), to_(to) {}
  void Emit(Result result) override {
    result.case_id = result.case_id == pair_ ? pair_ : pair_ + "/" + result.case_id;
    result.params.insert(result.params.begin(),
                         {{"from", std::to_string(from_)}, {"to", std::to_string(to_)}});
    sink_.Emit(std::move(result));
  }

 private:
  ResultSink& sink_;
  std::string pair_;
  int from_, to_;
};

class NetCommand final : public Command {
 public:
  std::string_view Name() const override { return "net"; }
  std::string_view Summary() const override {
    return "TCP/UDP round-trip time and throughput, HTTP header overhead (127.0.0.1 by default)";
  }
  std::vector<std::string> GateMetrics() const override { return {"requests_per_s"}; }

  void AddOptions(CLI::App& sub) override {
    sub.add_option("--sizes", sizes_, "Message payload sizes for rtt (default 1,64,1K,16K,64K)");
    sub.add_option("--proto", protos_, "Protocols: tcp,udp,http (default all)");
    sub.add_option("--test", tests_, "Tests: rtt,throughput,requests (default all)");
    sub.add_option("--count", count_, "Timed round trips per size (default 2000, quick 200)");
    sub.add_option("--udp-rate", udp_rate_, "UDP paced send rate in bit/s (default 1G)");
    sub.add_option("--udp-size", udp_size_, "UDP datagram size in bytes (default 1472)");
    sub.add_option("--write-size", write_size_, "TCP stream write size (default 128K)");
    sub.require_subcommand(0, 1);
    server_ = sub.add_subcommand("server", "Serve clients of `sysbench net client`");
    server_->fallthrough();
    server_->add_option("--bind", bind_, "Address to listen on (default 127.0.0.1)");
    server_->add_option("--port", server_port_, "TCP and UDP port (default 7390, 0: any)");
    server_->add_option("--sessions", sessions_, "Sessions to serve, 0: no limit (default 16)");
    server_->add_option("--idle-timeout", idle_timeout_,
                        "Stop after this long without a session (default 60s)");
    server_->add_option("--peer-timeout", peer_timeout_,
                        "Drop a peer silent this long (default 5s)");
    client_ = sub.add_subcommand("client", "Measure against a `sysbench net server`");
    client_->fallthrough();
    client_->add_option("--host", host_, "Numeric address of the server (default 127.0.0.1)");
    client_->add_option("--port", client_port_, "Server port (default 7390)");
    exposure_ = sub.add_subcommand("exposure", "Which listening sockets other machines can reach");
    exposure_->fallthrough();
    net::AddExposureOptions(*exposure_, exposure_options_);
    pairs_ = sub.add_subcommand(
        "pairs",
        "Client/server pairs between the tasks of a Slurm (or MPI) run, one round at a time");
    pairs_->fallthrough();
    pairs_->add_option("--dir", pairs_dir_, "A folder every task can read and write (required)")
        ->required();
    pairs_->add_option("--bind", pairs_bind_,
                       "This task's numeric address for its server (default 127.0.0.1)");
    pairs_->add_option("--pair-timeout", pair_timeout_,
                       "Longest wait for a peer at each meeting point (default 60s)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    if (server_ != nullptr && server_->parsed()) {
      RunServer(context, sink);
      return;
    }
    if (exposure_ != nullptr && exposure_->parsed()) {
      net::RunExposure(exposure_options_, context, sink);
      return;
    }
    const Plan plan = MakePlan(context);
    if (pairs_ != nullptr && pairs_->parsed()) {
      RunPairs(context, sink, plan);
      return;
    }
    if (client_ != nullptr && client_->parsed()) {
      const std::uint16_t port = net::ParsePort(client_port_, "--port", false);
      const Endpoint remote = net::ParseAddress(host_, port, "--host");
      const ScopedPin pin(PlacementOf(context.config.cpus).client, "net: the client",
                          context.notes);
      RunCases(context, sink, plan, remote);
      return;
    }
    // In one process: a server thread on 127.0.0.1 and an ephemeral port.
    net::ServerOptions options;
    options.max_sessions = 0;  // stopped below
    options.idle_timeout_s = 600;
    net::Server server(options);
    const Endpoint local = server.Listen();
    const Placement placement = PlacementOf(context.config.cpus);
    std::exception_ptr server_error;
    std::thread thread([&server, &server_error, &placement, &context] {
      const ScopedPin pin(placement.server, "net: the server", context.notes);
      try {
        server.Serve();
      } catch (...) {
        server_error = std::current_exception();
      }
    });
    std::exception_ptr client_error;
    try {
      const ScopedPin pin(placement.client, "net: the client", context.notes);
      RunCases(context, sink, plan, local);
    } catch (...) {
      client_error = std::current_exception();
    }
    server.Stop();
    thread.join();
    if (client_error) std::rethrow_exception(client_error);
    if (server_error) std::rethrow_exception(server_error);
  }

 private:
  Plan MakePlan(const RunContext& context) const {
    const RunConfig& config = context.config;
    Plan plan;
    plan.sizes = ParseSizeList(sizes_, "--sizes", kMaxMessage);
    plan.protos = ParseNameList(protos_, "--proto", kProtos);
    plan.tests = ParseNameList(tests_, "--test", kTests);
    plan.count = count_.empty() ? (config.quick ? 200 : 2000)
                                : static_cast<int>(ParseInt(count_, "--count", 1, 10000000));
    plan.warmup = std::max(plan.count / 10, 5);
    plan.rtt_seconds = config.quick ? 0.2 : 2.0;
    plan.udp_rate = ParseRate(udp_rate_, "--udp-rate");
    plan.udp_size = ParseSize(udp_size_, "--udp-size", kernels::kMaxDatagramBytes);
    if (plan.udp_size < kernels::kDatagramHeaderBytes) {
      throw UsageError(fmt::format("--udp-size '{}': must be at least {} bytes", udp_size_,
                                   kernels::kDatagramHeaderBytes));
    }
    plan.write_size = ParseSize(write_size_, "--write-size", kMaxMessage);
    plan.udp_reps = context.Timing(kUdpTiming).repetitions;
    plan.udp_seconds = config.quick ? 0.05 : 0.4;
    bool any = false;
    for (const std::string& p : plan.protos) {
      for (const std::string& t : plan.tests) any = any || Valid(p, t);
    }
    if (!any) {
      throw UsageError(
          fmt::format("--proto '{}' with --test '{}': no such case (tcp and udp: rtt, "
                      "throughput; http: requests)",
                      protos_, tests_));
    }
    return plan;
  }

  static bool Valid(const std::string& proto, const std::string& test) {
    return proto == "http" ? test == "requests" : test != "requests";
  }

  void RunServer(const RunContext& context, ResultSink& sink) {
    net::ServerOptions options;
    options.bind = bind_;
    options.port =
        server_port_.empty() ? net::kDefaultPort : net::ParsePort(server_port_, "--port", true);
    options.max_sessions = static_cast<int>(ParseInt(sessions_, "--sessions", 0, 1000000));
    options.idle_timeout_s = ParseSeconds(idle_timeout_, "--idle-timeout", 0.1, 86400);
    options.peer_timeout_s = ParseSeconds(peer_timeout_, "--peer-timeout", 0.01, 3600);
    const Endpoint local = net::ParseAddress(bind_, options.port, "--bind");
    if (!local.IsLoopback()) {
      context.notes.Warn("--bind " + bind_ +
                         ": the server is reachable from the network, not only from this machine");
    }
    net::Server server(options);
    const Endpoint bound = server.Listen();
    const ScopedPin pin(PlacementOf(context.config.cpus).server, "net: the server", context.notes);
    context.notes.Note(fmt::format(
        "listening on {} (TCP), UDP port {}; serving {}", bound.ToString(), server.UdpPort(),
        options.max_sessions == 0 ? std::string("sessions without limit")
                                  : fmt::format("at most {} sessions", options.max_sessions)));
    const net::ServerStats stats = server.Serve();
    for (const std::string& why : stats.drop_reasons) {
      context.notes.Note("dropped a peer: " + why);
    }
    Result r("net", "server");
    r.Param("bind", bound.ToString());
    // Exact counts the server kept (int64, as saved runs hold them).
    r.Add(Measured("sessions", std::int64_t{stats.sessions}, ""));
    r.Add(Measured("dropped", std::int64_t{stats.dropped}, ""));
    sink.Emit(std::move(r));
  }

  // Each task serves on --bind and, in each round of the schedule where it is the lower rank of a
  // pair, measures against its peer; a peer that does not come in time fails that pair only.
  void RunPairs(const RunContext& context, ResultSink& sink, const Plan& plan) {
    const ShardInfo& shard = CurrentShard();
    if (shard.count < 2) {
      throw UsageError(
          "net pairs: needs a launcher with 2 or more tasks (SLURM_PROCID/SLURM_NTASKS, "
          "OMPI_COMM_WORLD_RANK/SIZE, PMI_RANK/SIZE); this is " +
          (shard.Launched() ? fmt::format("task {} of {}", shard.index, shard.count)
                            : std::string("a run without a launcher")));
    }
    const double timeout = ParseSeconds(pair_timeout_, "--pair-timeout", 0.1, 3600);
    net::ParseAddress(pairs_bind_, 0, "--bind");  // checked before anything starts
    const std::string job = shard.job_id.empty() ? "nojob" : shard.job_id;
    net::Rendezvous meet(pairs_dir_, shard.index, shard.count, timeout);
    if (meet.Published("sysbench-pairs-" + job + "-addr")) {
      throw UsageError(fmt::format(
          "--dir '{}' already holds the files of job '{}' from an earlier run: give a fresh folder",
          pairs_dir_, job));
    }
    net::ServerOptions options;
    options.bind = pairs_bind_;
    options.max_sessions = 0;
    options.idle_timeout_s = 86400;  // stopped below
    net::Server server(options);
    const Endpoint local = server.Listen();
    const Placement placement = PlacementOf(context.config.cpus);
    std::thread thread([&server, &placement, &context] {
      const ScopedPin pin(placement.server, "net: the server", context.notes);
      try {
        server.Serve();
      } catch (...) {  // a failed server fails its peers' pairs, which report it
      }
    });
    const auto stop = [&] {
      server.Stop();
      thread.join();
    };
    try {
      const ScopedPin pin(placement.client, "net: the client", context.notes);
      meet.Publish("sysbench-pairs-" + job + "-host", pairs_bind_);
      meet.Publish("sysbench-pairs-" + job + "-addr", std::to_string(local.Port()));
      const auto rounds = net::PairSchedule(shard.count);
      for (std::size_t r = 0; r < rounds.size(); ++r) {
        for (const auto& [client, server_rank] : rounds[r]) {
          if (client == shard.index) {
            MeasurePair(context, sink, plan, meet, job, client, server_rank);
          }
        }
        const std::vector<int> late =
            meet.Barrier(fmt::format("sysbench-pairs-{}-round{}", job, r));
        if (!late.empty()) {
          context.notes.Warn(fmt::format("net pairs: round {}: tasks {} did not arrive within {}",
                                         r, fmt::join(late, ","), pair_timeout_));
        }
      }
      meet.Barrier("sysbench-pairs-" + job + "-done");
    } catch (...) {
      stop();
      throw;
    }
    stop();
  }

  void MeasurePair(const RunContext& context, ResultSink& sink, const Plan& plan,
                   const net::Rendezvous& meet, const std::string& job, int from, int to) {
    const std::string pair = fmt::format("pair={}-{}", from, to);
    PairSink tagged(sink, pair, from, to);
    // The host is published before the port: once the port is there, so is the host.
    const std::optional<std::string> port = meet.WaitFor("sysbench-pairs-" + job + "-addr", to);
    const std::optional<std::string> host =
        port ? meet.WaitFor("sysbench-pairs-" + job + "-host", to) : std::nullopt;
    if (!port || !host) {
      Result r("net", pair);
      r.skipped = fmt::format("task {} did not publish its server within {}", to, pair_timeout_);
      tagged.Emit(std::move(r));
      return;
    }
    try {
      const Endpoint remote =
          net::ParseAddress(*host, net::ParsePort(*port, "peer port", false), "peer address");
      RunCases(context, tagged, plan, remote);
    } catch (const std::exception& e) {
      Result r("net", pair);
      r.skipped = fmt::format("pair failed: {}", e.what());
      tagged.Emit(std::move(r));
    }
  }

  void RunCases(const RunContext& context, ResultSink& sink, const Plan& plan,
                const Endpoint& server) {
    const int batches = context.config.Repetitions();
    net::Client client(server, kClientTimeout);
    const Runner runner = context.MakeRunner();
    for (const std::string& proto : {std::string("tcp"), std::string("udp")}) {
      if (!Has(plan.protos, proto) || !Has(plan.tests, "rtt")) continue;
      for (std::uint64_t size : plan.sizes) {
        if (proto == "udp" && size + kernels::kDatagramHeaderBytes > kernels::kMaxDatagramBytes) {
          Result r("net", "udp/rtt/size=" + std::to_string(size));
          r.Param("proto", "udp").Param("test", "rtt").Param("size_bytes", std::to_string(size));
          r.skipped = fmt::format(
              "a UDP datagram carries at most {} payload bytes after our "
              "16-byte header",
              kernels::kMaxDatagramBytes - kernels::kDatagramHeaderBytes);
          sink.Emit(std::move(r));
          continue;
        }
        if (proto == "tcp") {
          sink.Emit(RttResult(proto, size,
                              client.TcpRtt(size, plan.warmup, plan.count, plan.rtt_seconds),
                              batches));
        } else {
          const net::UdpRttResult udp =
              client.UdpRtt(size, plan.warmup, plan.count, plan.rtt_seconds);
          Result r = RttResult(proto, size, udp.micros, batches);
          const double sent = static_cast<double>(udp.micros.size() + udp.lost);
          if (!r.skipped) {
            r.Add(Count("lost", udp.lost, Better::kLower));
            r.Add(Measured("loss_pct",
                           sent > 0 ? 100.0 * static_cast<double>(udp.lost) / sent : 0.0, "%",
                           Better::kLower));
          }
          sink.Emit(std::move(r));
        }
      }
    }
    if (Has(plan.protos, "tcp") && Has(plan.tests, "throughput")) {
      const std::vector<Sample> samples = runner.MeasureTimed([&](std::uint64_t iterations) {
        return client.TcpStream(iterations * kStreamChunk, plan.write_size);
      });
      Result r("net", "tcp/throughput/write=" + std::to_string(plan.write_size));
      r.Param("proto", "tcp").Param("test", "throughput");
      r.Param("size_bytes", std::to_string(plan.write_size));
      r.AddSampled("gbps", Rates(samples, 8.0 * kStreamChunk, 1e9), "Gbit/s", Better::kHigher);
      r.Add(Measured("bytes_per_sample", std::uint64_t{samples.front().iterations * kStreamChunk},
                     "B"));
      sink.Emit(std::move(r));
    }
    if (Has(plan.protos, "udp") && Has(plan.tests, "throughput")) {
      sink.Emit(UdpThroughput(client, plan, context.notes));
    }
    client.Bye();
    if (Has(plan.protos, "http") && Has(plan.tests, "requests")) {
      for (const bool realistic : {false, true}) {
        sink.Emit(HttpRequests(runner, server, realistic));
      }
    }
  }

  static Result UdpThroughput(net::Client& client, const Plan& plan, Notes& notes) {
    std::vector<double> gbps;
    std::vector<double> sent_gbps;
    std::uint64_t sent = 0, received = 0, reordered = 0, duplicates = 0;
    for (int rep = 0; rep < plan.udp_reps; ++rep) {
      const net::UdpSinkResult u =
          client.UdpSink(static_cast<std::size_t>(plan.udp_size), plan.udp_rate, plan.udp_seconds);
      if (u.seconds > 0) {
        gbps.push_back(static_cast<double>(u.bytes_received) * 8 / u.seconds / 1e9);
        sent_gbps.push_back(static_cast<double>(u.sent * plan.udp_size) * 8 / u.seconds / 1e9);
      }
      sent += u.sent;
      received += u.received;
      reordered += u.reordered;
      duplicates += u.duplicates;
    }
    Result r("net", "udp/throughput/size=" + std::to_string(plan.udp_size));
    r.Param("proto", "udp").Param("test", "throughput");
    r.Param("size_bytes", std::to_string(plan.udp_size));
    r.Param("rate", FormatHuman(plan.udp_rate / 1e9) + " Gbit/s");
    r.AddSampled("gbps", gbps, "Gbit/s", Better::kHigher);
    const double loss = sent > 0 ? 100.0 * static_cast<double>(sent - std::min(sent, received)) /
                                       static_cast<double>(sent)
                                 : 0.0;
    r.Add(Measured("loss_pct", loss, "%", Better::kLower));
    r.Add(Computed("offered_gbps", plan.udp_rate / 1e9, "Gbit/s"));
    const double sent_median = sent_gbps.empty() ? 0.0 : Median(sent_gbps);
    r.Add(Measured("sent_gbps", sent_median, "Gbit/s"));
    if (sent_median < 0.9 * plan.udp_rate / 1e9) {
      notes.Note("net udp/throughput: the sender reached " + FormatHuman(sent_median) + " of the " +
                 FormatHuman(plan.udp_rate / 1e9) +
                 " Gbit/s asked (--udp-rate); loss is counted on what was sent");
    }
    r.Add(Count("datagrams_sent", sent));
    r.Add(Count("reordered", reordered, Better::kLower));
    r.Add(Count("duplicates", duplicates, Better::kLower));
    return r;
  }

  static Result HttpRequests(const Runner& runner, const Endpoint& server, bool realistic) {
    const std::string request = realistic ? net::RealisticHttpRequest() : net::MinimalHttpRequest();
    net::HttpClient http(server, kClientTimeout);
    const std::size_t response = http.Request(request);
    const std::vector<Sample> samples = runner.Measure([&](std::uint64_t iterations) {
      for (std::uint64_t i = 0; i < iterations; ++i) http.Request(request);
    });
    const std::string headers = realistic ? "realistic" : "minimal";
    Result r("net", "http/requests/headers=" + headers);
    r.Param("proto", "http").Param("test", "requests");
    r.Param("size_bytes", std::to_string(request.size())).Param("headers", headers);
    r.AddSampled("requests_per_s", Rates(samples, 1.0), "1/s", Better::kHigher);
    r.Add(Computed("bytes_per_request", std::uint64_t{request.size() + response}, "B",
                   Better::kLower));
    r.Add(Computed("request_bytes", std::uint64_t{request.size()}, "B"));
    r.Add(Computed("response_bytes", std::uint64_t{response}, "B"));
    return r;
  }

  std::string sizes_ = "1,64,1K,16K,64K";
  std::string protos_ = "tcp,udp,http";
  std::string tests_ = "rtt,throughput,requests";
  std::string count_;
  std::string udp_rate_ = "1G";
  std::string udp_size_ = "1472";
  std::string write_size_ = "128K";
  std::string bind_ = "127.0.0.1";
  std::string server_port_;
  std::string sessions_ = "16";
  std::string idle_timeout_ = "60";
  std::string peer_timeout_ = "5";
  std::string host_ = "127.0.0.1";
  std::string client_port_ = "7390";
  CLI::App* server_ = nullptr;
  CLI::App* client_ = nullptr;
  CLI::App* exposure_ = nullptr;
  net::ExposureOptions exposure_options_;
  std::string pairs_dir_;
  std::string pairs_bind_ = "127.0.0.1";
  std::string pair_timeout_ = "60";
  CLI::App* pairs_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeNetCommand() { return std::make_unique<NetCommand>(); }

}  // namespace sysbench
