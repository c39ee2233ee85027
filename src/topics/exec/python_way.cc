#include "topics/exec/python_way.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "sysbench/units.h"
#include "topics/exec/child_process.h"
#include "topics/exec/rounds.h"

namespace sysbench {
namespace {

namespace k = kernels;

// The data formulas are the same as exec's C++ (ExecData), so both sides start from the same bits.
// sum() is not used for the checksum: since 3.12 it compensates float rounding. Workers live for
// all the rounds (threads behind two barriers, forked processes behind pipes), each pinned, with
// its own lists, and time themselves; the forks come before any thread starts. A pool's threads
// get lists built one after the other before they start: built by the threads themselves, while
// the interpreter switched between them, their floats would lie interleaved in memory in an order
// that may change from run to run, and what a pass costs with it. A child closes the parent's
// ends of every pipe, so that the end of the parent (or of its pool) ends it too.
constexpr const char* kScript = R"PY(import os, sys, threading, time
n, target = int(sys.argv[1]), float(sys.argv[2])
counts = [int(v) for v in sys.argv[3].split(',')]
cpus = [int(v) for v in sys.argv[5].split(',') if v]
def pin(i):
    if cpus:
        try:
            os.sched_setaffinity(0, {cpus[i % len(cpus)]})
        except OSError:
            pass
def arrays():
    return ([(i % 97) / 7.0 for i in range(n)], [(i % 89) / 3.0 for i in range(n)],
            [(i % 83) / 11.0 for i in range(n)], [(i % 101) / 13.0 for i in range(n)],
            [0.0] * n)
def update(a, b, c, x, z):
    for i in range(n):
        z[i] = @UPDATE@
    return z[n - 1]
def total(a, b, c, x, z):
    s = 0.0
    for i in range(n):
        s += @SUM@
    return s
def timed(body, data, passes):
    c0 = time.thread_time_ns()
    t0 = time.perf_counter_ns()
    for _ in range(passes):
        body(*data)
    t1 = time.perf_counter_ns()
    return t0, t1, time.thread_time_ns() - c0
class Threads:
    def __init__(self, body, k):
        self.passes, self.out = 0, [None] * k
        self.go, self.done = threading.Barrier(k + 1), threading.Barrier(k + 1)
        data = [arrays() for i in range(k)]
        self.ts = [threading.Thread(target=self.work, args=(i, body, data[i])) for i in range(k)]
        for t in self.ts:
            t.start()
    def work(self, i, body, data):
        pin(i)
        while True:
            self.go.wait()
            if self.passes == 0:
                return
            self.out[i] = timed(body, data, self.passes)
            self.done.wait()
    def sample(self, passes):
        self.passes = passes
        self.go.wait()
        self.done.wait()
        return self.out
    def close(self):
        self.passes = 0
        self.go.wait()
        for t in self.ts:
            t.join()
ends = []
class Processes:
    def __init__(self, body, k):
        self.kids = []
        for i in range(k):
            cr, cw = os.pipe()
            rr, rw = os.pipe()
            sys.stdout.flush()
            pid = os.fork()
            if pid == 0:
                code = 1
                try:
                    for fd in ends + [cw, rr]:
                        os.close(fd)
                    pin(i)
                    data = arrays()
                    res = os.fdopen(rw, 'w')
                    for line in os.fdopen(cr):
                        res.write('%d %d %d\n' % timed(body, data, int(line)))
                        res.flush()
                    code = 0
                finally:
                    os._exit(code)
            os.close(cr)
            os.close(rw)
            ends.extend([cw, rr])
            self.kids.append((pid, os.fdopen(cw, 'w'), os.fdopen(rr)))
    def sample(self, passes):
        for kid in self.kids:
            kid[1].write('%d\n' % passes)
            kid[1].flush()
        out = []
        for kid in self.kids:
            line = kid[2].readline()
            if not line:
                raise SystemExit('a forked worker failed')
            out.append([int(v) for v in line.split()])
        return out
    def close(self):
        failed = 0
        for pid, cmd, res in self.kids:
            ends.remove(cmd.fileno())
            ends.remove(res.fileno())
            cmd.close()
            res.close()
            failed |= os.waitpid(pid, 0)[1]
        if failed:
            raise SystemExit('a forked worker failed')
def per_op(out, k, passes):
    ops = k * n * passes
    wall = max(o[1] for o in out) - min(o[0] for o in out)
    return wall / ops, sum(o[2] for o in out) / ops, min(o[2] for o in out) / ops
gil = getattr(sys, '_is_gil_enabled', None)
print('version', sys.version.split()[0])
print('executable', sys.executable)
print('gil', 'yes' if gil is None or gil() else 'no')
for program in sys.argv[4].split(','):
    body = update if program == 'update' else total
    data = arrays()
    check = body(*data)
    if program == 'update':
        check = 0.0
        for v in data[4]:
            check += v
    print('check', program, float.hex(check))
    sys.stdout.flush()
    pools = [('processes', k, Processes(body, k)) for k in counts]
    pools = [('threads', k, Threads(body, k)) for k in counts] + pools
    passes = 1
    while True:
        wall = per_op(pools[0][2].sample(passes), 1, passes)[0] * n * passes
        if wall >= target * 1e9 or passes >= 1 << 20:
            break
        grow = min(10.0, 1.3 * target * 1e9 / max(wall, 1))
        passes = min(1 << 20, max(passes + 1, int(passes * grow)))
    for name, k, pool in pools:
        pool.sample(passes)
    print('ready', program)
    sys.stdout.flush()
    while sys.stdin.readline().strip() == 'round':
        for name, k, pool in pools:
            print(name, k, '%r:%r:%r' % per_op(pool.sample(passes), k, passes))
        print('end')
        sys.stdout.flush()
    for name, k, pool in pools:
        pool.close()
)PY";

std::string Literal(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  std::string s = text;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string SourceOf(const k::Expr& expr, int index) {
  const k::ExprNode& node = expr.nodes[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case k::NodeKind::kConst:
      return Literal(node.value);
    case k::NodeKind::kVar:
      return std::string(1, k::VarName(node.var)) + "[i]";
    case k::NodeKind::kNeg: {
      std::string text = "(-";
      text += SourceOf(expr, node.left);
      text += ')';
      return text;
    }
    default:
      break;
  }
  const char* op = node.kind == k::NodeKind::kAdd   ? " + "
                   : node.kind == k::NodeKind::kSub ? " - "
                   : node.kind == k::NodeKind::kMul ? " * "
                                                    : " / ";
  // Appended piece by piece: GCC 12 warns (-Wrestrict, wrongly) on a chain of operator+.
  std::string text = "(";
  text += SourceOf(expr, node.left);
  text += op;
  text += SourceOf(expr, node.right);
  text += ')';
  return text;
}

std::string LastLine(const std::string& text) {
  std::string t = text;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  const std::size_t cut = t.rfind('\n');
  return cut == std::string::npos ? t : t.substr(cut + 1);
}

}  // namespace

std::string PythonSource(const k::Expr& expr) {
  return expr.root < 0 ? "" : SourceOf(expr, expr.root);
}

PythonChild::PythonChild(const PythonPlan& plan, const k::Expr& update, const k::Expr& sum)
    : plan_(plan) {
  std::string script = kScript;
  for (const auto& [marker, expr] : {std::pair<std::string, const k::Expr*>{"@UPDATE@", &update},
                                     std::pair<std::string, const k::Expr*>{"@SUM@", &sum}}) {
    const std::size_t at = script.find(marker);
    script.replace(at, marker.size(), PythonSource(*expr));
  }
  std::vector<std::string> counts, cpus;
  for (int w : plan.workers) counts.push_back(std::to_string(w));
  for (int cpu : plan.cpus) cpus.push_back(std::to_string(cpu));
  char target[32];
  std::snprintf(target, sizeof target, "%.6f", plan.min_seconds);
  try {
    session_ = std::make_unique<ChildSession>(
        std::vector<std::string>{plan.interpreter, "-I", "-S", "-B", "-c", script,
                                 std::to_string(plan.elements), target, Join(counts, ","),
                                 Join(plan.programs, ","), Join(cpus, ",")},
        plan.timeout_seconds);
  } catch (const std::exception& e) {
    skipped_ = e.what();
    return;
  }
  for (std::string* field : {&info_.version, &info_.executable, &info_.gil}) {
    const std::optional<std::string> line = Line();
    if (!line) return;
    std::istringstream words(*line);
    std::string key;
    words >> key;
    std::getline(words >> std::ws, *field);
  }
}

PythonChild::~PythonChild() = default;

void PythonChild::Fail(const std::string& why) {
  if (skipped_.empty()) skipped_ = why;
  session_.reset();  // kills the child and what it forked
}

std::optional<std::string> PythonChild::Line() {
  if (!skipped_.empty()) return std::nullopt;
  std::optional<std::string> line = session_->ReadLine();
  if (line) return line;
  if (session_->TimedOut()) {
    Fail(plan_.interpreter + " kept sysbench waiting past --python-timeout (" +
         FormatDouble(plan_.timeout_seconds) + " s; killed)");
  } else {
    session_->Finish();
    const std::string why = LastLine(session_->Err());
    Fail(plan_.interpreter + " failed" + (why.empty() ? "" : ": " + why));
  }
  return std::nullopt;
}

std::optional<double> PythonChild::Begin(const std::string& program) {
  ++begun_;
  rows_.clear();
  std::optional<double> check;
  for (std::optional<std::string> line = Line(); line; line = Line()) {
    std::istringstream words(*line);
    std::string key, name, hex;
    words >> key >> name;
    if (key == "ready" && name == program && check) break;
    if (key != "check" || name != program || !(words >> hex)) {
      Fail(plan_.interpreter + " printed output this version of sysbench cannot read");
      break;
    }
    char* end = nullptr;
    check = std::strtod(hex.c_str(), &end);
    if (end == hex.c_str() || *end != '\0') check.reset();
  }
  if (!skipped_.empty()) return std::nullopt;
  for (const char* parallel : {"threads", "processes"}) {
    for (int w : plan_.workers) rows_.push_back(PythonRow{parallel, w, {}, {}, {}});
  }
  return check;
}

bool PythonChild::Round() {
  if (!skipped_.empty()) return true;  // no samples, none that lost their CPUs
  session_->WriteLine("round");        // a child that is gone shows as the end of its output
  std::size_t filled = 0;
  bool had_cpus = true;
  for (std::optional<std::string> line = Line(); line && *line != "end"; line = Line()) {
    std::istringstream words(*line);
    std::string parallel, clocks;
    int workers = 0;
    words >> parallel >> workers >> clocks;
    SampleClocks sample;  // per operation: the shares are what matter
    char colon[2] = {};
    std::istringstream fields(clocks);
    fields >> sample.wall >> colon[0] >> sample.cpu >> colon[1] >> sample.cpu_least;
    if (filled >= rows_.size() || rows_[filled].parallel != parallel ||
        rows_[filled].workers != workers || !fields || colon[0] != ':' || colon[1] != ':') {
      Fail(plan_.interpreter + " printed output this version of sysbench cannot read");
      return false;
    }
    PythonRow& row = rows_[filled++];
    row.wall_ns_per_op.push_back(sample.wall);
    row.cpu_ns_per_op.push_back(sample.cpu);
    row.cpu_share.push_back(CpuShare(sample, parallel == "threads" && info_.gil != "no"));
    had_cpus = had_cpus && row.cpu_share.back() >= kMinCpuShare;
  }
  if (skipped_.empty() && filled != rows_.size()) {
    Fail(plan_.interpreter + " printed output this version of sysbench cannot read");
  }
  return had_cpus || !skipped_.empty();
}

std::vector<PythonRow> PythonChild::End() {
  if (!skipped_.empty()) return {};
  session_->WriteLine("next");
  if (begun_ == plan_.programs.size() && session_->Finish() != 0) {
    const std::string why = LastLine(session_->Err());
    Fail(plan_.interpreter + (session_->TimedOut() ? " did not exit in time" : " failed") +
         (why.empty() ? "" : ": " + why));
    return {};
  }
  return rows_;
}

PythonChildren::PythonChildren(int count, const PythonPlan& plan, const k::Expr& update,
                               const k::Expr& sum) {
  for (int i = 0; i < std::max(count, 1) && skipped_.empty(); ++i) {
    children_.push_back(std::make_unique<PythonChild>(plan, update, sum));
    Failed();
  }
}

bool PythonChildren::Failed() {
  for (const auto& child : children_) {
    if (skipped_.empty() && !child->Skipped().empty()) skipped_ = child->Skipped();
  }
  if (!skipped_.empty()) children_.resize(1);  // the others are killed; one keeps Info()
  return !skipped_.empty();
}

std::optional<double> PythonChildren::Begin(const std::string& program) {
  rounds_ = 0;
  std::optional<double> first;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    const std::optional<double> check = children_[i]->Begin(program);
    if (Failed()) return std::nullopt;
    if (i == 0) {
      first = check;
    } else if (!check || !first || std::memcmp(&*check, &*first, sizeof *check) != 0) {
      skipped_ = "two CPython children computed different values for " + program;
      children_.resize(1);
      return std::nullopt;
    }
  }
  return first;
}

bool PythonChildren::Round() {
  if (!skipped_.empty()) return true;
  const bool had_cpus = children_[rounds_++ % children_.size()]->Round();
  return Failed() || had_cpus;
}

std::vector<PythonRow> PythonChildren::End() {
  std::vector<std::vector<PythonRow>> each;
  for (const auto& child : children_) {
    each.push_back(child->End());
    if (Failed()) return {};
  }
  std::vector<PythonRow> rows = each.front();
  for (std::size_t row = 0; row < rows.size(); ++row) {
    PythonRow& merged = rows[row];
    merged.wall_ns_per_op.clear();
    merged.cpu_ns_per_op.clear();
    merged.cpu_share.clear();
    for (std::size_t round = 0; round < rounds_; ++round) {
      const PythonRow& from = each[round % each.size()][row];
      const std::size_t at = round / each.size();
      merged.wall_ns_per_op.push_back(from.wall_ns_per_op.at(at));
      merged.cpu_ns_per_op.push_back(from.cpu_ns_per_op.at(at));
      merged.cpu_share.push_back(from.cpu_share.at(at));
    }
  }
  return rows;
}

std::string ResolveInterpreter(const std::string& path, double timeout_seconds, std::string* why) {
  why->clear();
  char head[4] = {};
  {
    std::ifstream file(path, std::ios::binary);
    file.read(head, sizeof head);
  }
  if (std::memcmp(head,
                  "\x7f"
                  "ELF",
                  4) == 0)
    return path;
  const ChildOutput child =
      RunChild({path, "-I", "-S", "-B", "-c", "import sys; sys.stdout.write(sys.executable)"},
               timeout_seconds);
  if (child.timed_out || child.exit_code != 0) return "";
  const std::string real = child.out;
  if (real.empty() || real.front() != '/' || access(real.c_str(), X_OK) != 0 || real == path) {
    return path;
  }
  *why = path + " is not an interpreter but a script that starts one: ran " + real +
         " itself, so that no script runs in front of it";
  return real;
}

double InterpreterStartSeconds(const std::string& interpreter, int runs, double timeout_seconds) {
  std::vector<double> seconds;
  for (int i = 0; i < runs; ++i) {
    const ChildOutput child =
        RunChild({interpreter, "-I", "-S", "-B", "-c", "pass"}, timeout_seconds);
    if (child.timed_out || child.exit_code != 0) return -1;
    seconds.push_back(child.seconds);
  }
  if (seconds.empty()) return -1;
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

}  // namespace sysbench
