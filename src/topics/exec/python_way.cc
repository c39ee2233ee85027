#include "topics/exec/python_way.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "sysbench/units.h"
#include "topics/exec/child_process.h"

namespace sysbench {
namespace {

namespace k = kernels;

// The data formulas are the same as exec's C++ (ExecData), so both sides start from the same bits.
// sum() is not used for the checksum: since 3.12 it compensates float rounding.
constexpr const char* kScript = R"PY(import os, sys, threading, time
n, reps, target = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
counts = [int(v) for v in sys.argv[4].split(',')]
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
def run(body, data, passes):
    for _ in range(passes):
        body(*data)
def threads(body, passes, k):
    sets = [arrays() for _ in range(k)]
    start = threading.Barrier(k + 1)
    def work(d):
        start.wait()
        run(body, d, passes)
    ts = [threading.Thread(target=work, args=(d,)) for d in sets]
    for t in ts:
        t.start()
    start.wait()
    t0 = time.perf_counter_ns()
    for t in ts:
        t.join()
    return time.perf_counter_ns() - t0
def processes(body, passes, k):
    data = arrays()
    sys.stdout.flush()
    t0 = time.perf_counter_ns()
    pids = []
    for _ in range(k):
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                run(body, data, passes)
                code = 0
            finally:
                os._exit(code)
        pids.append(pid)
    failed = 0
    for p in pids:
        failed |= os.waitpid(p, 0)[1]
    if failed:
        raise SystemExit('a forked worker failed')
    return time.perf_counter_ns() - t0
gil = getattr(sys, '_is_gil_enabled', None)
print('version', sys.version.split()[0])
print('gil', 'yes' if gil is None or gil() else 'no')
for program in sys.argv[5].split(','):
    body = update if program == 'update' else total
    data = arrays()
    check = body(*data)
    if program == 'update':
        check = 0.0
        for v in data[4]:
            check += v
    print('check', program, float.hex(check))
    passes = 1
    while True:
        t0 = time.perf_counter_ns()
        run(body, data, passes)
        if time.perf_counter_ns() - t0 >= target * 1e9 or passes >= 1 << 20:
            break
        passes *= 2
    for name, fn in (('threads', threads), ('processes', processes)):
        for k in counts:
            ns = [fn(body, passes, k) / (k * n * passes) for _ in range(reps)]
            print(name, program, k, ' '.join(repr(v) for v in ns))
)PY";

std::string Literal(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  std::string s = text;
  if (s.find_first_of(".e") == std::string::npos) s += ".0";
  return s;
}

std::string Source(const k::Expr& expr, int index) {
  const k::ExprNode& node = expr.nodes[static_cast<std::size_t>(index)];
  switch (node.kind) {
    case k::NodeKind::kConst:
      return Literal(node.value);
    case k::NodeKind::kVar:
      return std::string(1, k::VarName(node.var)) + "[i]";
    case k::NodeKind::kNeg: {
      std::string text = "(-";
      text += Source(expr, node.left);
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
  text += Source(expr, node.left);
  text += op;
  text += Source(expr, node.right);
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
  return expr.root < 0 ? "" : Source(expr, expr.root);
}

PythonRun RunPython(const PythonPlan& plan, const k::Expr& update, const k::Expr& sum) {
  PythonRun run;
  std::string script = kScript;
  for (const auto& [marker, expr] : {std::pair<std::string, const k::Expr*>{"@UPDATE@", &update},
                                     std::pair<std::string, const k::Expr*>{"@SUM@", &sum}}) {
    const std::size_t at = script.find(marker);
    script.replace(at, marker.size(), PythonSource(*expr));
  }
  std::vector<std::string> counts;
  for (int w : plan.workers) counts.push_back(std::to_string(w));
  char target[32];
  std::snprintf(target, sizeof target, "%.6f", plan.min_seconds);
  const ChildOutput child =
      RunChild({plan.interpreter, "-I", "-S", "-B", "-c", script, std::to_string(plan.elements),
                std::to_string(plan.samples), target, Join(counts, ","), Join(plan.programs, ",")},
               plan.timeout_seconds);
  if (child.timed_out) {
    run.skipped = plan.interpreter + " did not finish within " +
                  FormatDouble(plan.timeout_seconds) + " s (killed)";
    return run;
  }
  if (child.exit_code != 0) {
    const std::string why = LastLine(child.err);
    run.skipped = plan.interpreter + " failed" + (why.empty() ? "" : ": " + why);
    return run;
  }
  std::istringstream lines(child.out);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string key, program;
    words >> key;
    if (key == "version") {
      words >> run.version;
    } else if (key == "gil") {
      words >> run.gil;
    } else if (key == "check") {
      std::string hex;
      words >> program >> hex;
      char* end = nullptr;
      const double value = std::strtod(hex.c_str(), &end);
      if (end != hex.c_str() && *end == '\0') run.programs[program].checksum = value;
    } else if (key == "threads" || key == "processes") {
      PythonRow row;
      row.parallel = key;
      words >> program >> row.workers;
      for (double ns; words >> ns;) row.ns_per_op.push_back(ns);
      if (row.workers > 0 && !row.ns_per_op.empty()) {
        run.programs[program].rows.push_back(std::move(row));
      }
    }
  }
  for (const std::string& program : plan.programs) {
    const auto found = run.programs.find(program);
    if (found == run.programs.end() || !found->second.checksum ||
        found->second.rows.size() != 2 * plan.workers.size()) {
      run.programs.clear();
      run.skipped = plan.interpreter + " printed output this version of sysbench cannot read";
      break;
    }
  }
  return run;
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
