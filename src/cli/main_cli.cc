#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <new>

#include "cli/compare.h"
#include "cli/fleet.h"
#include "cli/output_file.h"
#include "cli/run_support.h"
#include "cli/suite.h"
#include "report/results_reader.h"
#include "sysbench/cleanup.h"
#include "sysbench/cli.h"
#include "sysbench/command.h"
#include "sysbench/environment.h"
#include "sysbench/error.h"
#include "sysbench/reporter.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "sysbench/version.h"

namespace sysbench {
namespace {

// Text of the global options that need checks beyond CLI11's conversions.
struct GlobalText {
  std::string min_time, warmup, cpus, threads;
  bool list = false;
  CLI::Option* format = nullptr;  // to tell an explicit --format from the default
};

void AddGlobalOptions(CLI::App& app, RunConfig& config, GlobalText& text) {
  text.format =
      app.add_option("--format", config.format,
                     "Output format: " + Join(ReporterFormats(), ", ") + " (default text)");
  app.add_option("-o,--output", config.output,
                 "Write data to FILE (via a temporary file renamed at the end)");
  app.add_option("--repetitions", config.repetitions, "Samples per case (default 10, quick 3)")
      ->check(CLI::Range(1, 100000));
  app.add_option("--min-time", text.min_time, "Minimum seconds per batch (default 0.1)");
  app.add_option("--warmup", text.warmup, "Warm-up seconds before sampling (default 0.1)");
  app.add_flag("--quick", config.quick, "Short settings for CI and smoke runs");
  app.add_option("--cpus", text.cpus, "Pin workers to these CPUs, e.g. 0,1 or 0-3");
  app.add_option("--threads", text.threads,
                 "Thread counts, e.g. 1 or 1,2,4 (commands that use it)");
  app.add_flag("-q,--quiet", config.quiet, "No notes or warnings on stderr");
  app.add_flag("--list", text.list, "List subcommands, one per line, and exit");
}

void ValidateGlobals(RunConfig& config, const GlobalText& text) {
  bool known_format = false;
  for (const std::string& f : ReporterFormats()) known_format = known_format || f == config.format;
  if (!known_format) {
    throw UsageError("--format '" + config.format +
                     "' is not one of: " + Join(ReporterFormats(), ", "));
  }
  if (!text.min_time.empty()) config.min_time = ParseSeconds(text.min_time, "--min-time", 1e-4, 60);
  if (!text.warmup.empty()) config.warmup = ParseSeconds(text.warmup, "--warmup", 0, 60);
  if (!text.cpus.empty()) {
    const std::vector<int> allowed = AllowedCpus();
    for (std::int64_t cpu : ParseIntList(text.cpus, "--cpus", 0, 4095)) {
      bool ok = false;
      for (int a : allowed) ok = ok || a == cpu;
      if (!ok) {
        throw UsageError(
            fmt::format("--cpus '{}': CPU {} is not available to this process", text.cpus, cpu));
      }
      config.cpus.push_back(static_cast<int>(cpu));
    }
  }
  if (!text.threads.empty()) {
    for (std::int64_t n : ParseIntList(text.threads, "--threads", 1, 1024)) {
      config.threads.push_back(static_cast<int>(n));
    }
  }
}

int RunCommand(Command& command, RunConfig& config, std::ostream& out, std::ostream& err) {
  Notes notes(config.quiet, err);
  InstallCleanupHandlers();
  DataOutput data(config.output, out);
  std::unique_ptr<Reporter> reporter = MakeReporter(config.format, data.Stream());
  WarnAboutEnvironment(notes);
  RunContextInfo info = BuildContextInfo(config, notes, WantsMeasuredClock(config.format));
  command.AddContext(info);
  reporter->Begin(info);
  RunContext context{config, notes};
  ReportingSink sink(*reporter, notes);
  command.Run(context, sink);
  notes.Flush();
  reporter->End();
  data.Commit();
  return context.exit_code;
}

// `sysbench report FILE`: a saved json run in another format (html unless --format is given).
int RunReport(const std::string& path, const RunConfig& config, std::ostream& out) {
  if (IsFleetFile(path)) return RunFleetReport({path}, FleetOptions{}, config, out);
  const report::ResultsDocument doc = report::ReadResultsFile(path);
  DataOutput data(config.output, out);
  std::unique_ptr<Reporter> reporter = MakeReporter(config.format, data.Stream());
  reporter->Begin(doc.context);
  for (const Result& r : doc.results) reporter->Report(r);
  reporter->End();
  data.Commit();
  return kExitOk;
}

// `sysbench compare BASELINE CURRENT`.
int RunCompare(const std::string& baseline_path, const std::string& current_path,
               const CompareOptions& options, const std::string& summary_path,
               const RunConfig& config, std::ostream& out, std::ostream& err) {
  CheckComparisonFormat(config.format);
  const RunSet baseline = ReadRunSet(baseline_path);
  const RunSet current = ReadRunSet(current_path);
  Notes notes(config.quiet, err);
  DataOutput data(config.output, out);
  const int code = FinishComparison(baseline, current, options, config.format, summary_path,
                                    data.Stream(), notes, err);
  data.Commit();
  return code;
}

// Options of the commands that run or read other commands (not in the registry).
struct MetaText {
  SuiteOptions suite;
  std::string compare_baseline, compare_current, compare_threshold = "5%", report_file;
  std::string compare_gate = "headline", compare_summary;
  double compare_alpha = 0.05;
  bool compare_strict_env = false;
};

void AddGateOptions(CLI::App& sub, double& alpha, std::string& gate, std::string& summary) {
  sub.add_option("--alpha", alpha,
                 "Chance of any false alarm over the gated rows (Holm; default 0.05)")
      ->check(CLI::Range(1e-9, 0.5));
  sub.add_option(
      "--gate", gate,
      "Rows that can fail: headline (default: one geometric mean per headline "
      "metric), all, or also these command[:metric] items, e.g. flops,latency:ns_per_load");
  sub.add_option("--summary", summary,
                 "Append the markdown job summary to FILE (e.g. \"$GITHUB_STEP_SUMMARY\")");
}

CLI::App* AddSuite(CLI::App& app, MetaText& meta) {
  CLI::App* sub = app.add_subcommand(
      "all", "Every measuring subcommand with its defaults, one context block (--quick: <= 30 s)");
  sub->fallthrough();
  sub->add_option("--only", meta.suite.only, "Run only these subcommands, e.g. flops,latency");
  sub->add_option("--skip", meta.suite.skip, "Run all but these subcommands, e.g. net,mmap");
  sub->add_option("--runs", meta.suite.runs,
                  "Run the selection N times, interleaved, into one document of N runs (a "
                  "baseline for the gate; default 1)");
  sub->add_option("--baseline", meta.suite.baseline,
                  "Compare with saved runs (a json document of --runs N, or a folder of json "
                  "runs); the comparison becomes the output");
  sub->add_option("--save", meta.suite.save, "With --baseline: also save this run as json here");
  sub->add_option("--threshold", meta.suite.threshold,
                  "With --baseline: a gated row fails only when worse by more than this "
                  "(default 5%)");
  AddGateOptions(*sub, meta.suite.alpha, meta.suite.gate, meta.suite.summary);
  sub->add_flag("--strict-env", meta.suite.strict_env,
                "With --baseline: different CPU, clock, build or version is an error");
  return sub;
}

CLI::App* AddCompare(CLI::App& app, MetaText& meta) {
  CLI::App* sub = app.add_subcommand(
      "compare",
      "The CI gate: compare runs (t test between runs, Holm, resolution); exit 1 on a regression");
  sub->fallthrough();
  sub->add_option("baseline", meta.compare_baseline,
                  "The baseline: a json document of N >= 2 runs (all --runs N) or a folder of runs")
      ->required();
  sub->add_option("current", meta.compare_current, "The current run(s): a json document or folder")
      ->required();
  sub->add_option("--threshold", meta.compare_threshold,
                  "A gated row fails when worse by more than this (default 5%) and significant");
  AddGateOptions(*sub, meta.compare_alpha, meta.compare_gate, meta.compare_summary);
  sub->add_flag("--strict-env", meta.compare_strict_env,
                "Different CPU, measured clock (> 5%), build type or version is an error");
  return sub;
}

CLI::App* AddReport(CLI::App& app, MetaText& meta) {
  CLI::App* sub = app.add_subcommand(
      "report", "Render a saved json run: html with charts by default, or any --format");
  sub->fallthrough();
  sub->add_option("results", meta.report_file, "A run saved with --format json")->required();
  return sub;
}

int ParseAndRun(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  CLI::App app{
      "sysbench: measure this machine's FLOPS, caches, memory, number formats, page "
      "cache, threads and more, truthfully",
      "sysbench"};
  app.set_version_flag("--version", std::string("sysbench ") + Version());
  app.require_subcommand(0, 1);
  RunConfig config;
  config.argv = args;
  GlobalText text;
  AddGlobalOptions(app, config, text);

  std::vector<std::unique_ptr<Command>> commands = MakeCommands();
  std::vector<CLI::App*> subs;
  for (const auto& command : commands) {
    CLI::App* sub =
        app.add_subcommand(std::string(command->Name()), std::string(command->Summary()));
    sub->fallthrough();
    command->AddOptions(*sub);
    subs.push_back(sub);
  }
  MetaText meta;
  CLI::App* suite = AddSuite(app, meta);
  CLI::App* compare = AddCompare(app, meta);
  CLI::App* report = AddReport(app, meta);
  FleetOptions fleet_options;
  CLI::App* fleet = AddFleet(app, fleet_options);

  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e, out, err);
  } catch (const CLI::ParseError& e) {
    err << "sysbench: " << e.what() << " (see 'sysbench --help')" << std::endl;
    return kExitError;
  }
  if (text.list) {
    for (const auto& command : commands)
      out << command->Name() << '\t' << command->Summary() << '\n';
    for (const CLI::App* sub : {suite, compare, report, fleet})
      out << sub->get_name() << '\t' << sub->get_description() << '\n';
    return kExitOk;
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (subs[i]->parsed()) {
      ValidateGlobals(config, text);
      return RunCommand(*commands[i], config, out, err);
    }
  }
  if (suite->parsed() || compare->parsed() || report->parsed() || fleet->parsed())
    ValidateGlobals(config, text);
  if (fleet->parsed()) return RunFleet(fleet_options, config, text.format->count() > 0, out);
  if (suite->parsed()) {
    const bool terminal = &err == &std::cerr && isatty(STDERR_FILENO) == 1;
    return RunSuite(meta.suite, config, out, err, terminal);
  }
  if (compare->parsed()) {
    CompareOptions options;
    options.threshold_pct = ParseThreshold(meta.compare_threshold, "--threshold");
    options.alpha = meta.compare_alpha;
    options.strict_env = meta.compare_strict_env;
    CheckGate(meta.compare_gate, "--gate");
    options.gate = meta.compare_gate;
    return RunCompare(meta.compare_baseline, meta.compare_current, options, meta.compare_summary,
                      config, out, err);
  }
  if (report->parsed()) {
    if (text.format->count() == 0) config.format = "html";
    return RunReport(meta.report_file, config, out);
  }
  err << "sysbench: no subcommand given (see 'sysbench --help' or 'sysbench --list')" << std::endl;
  return kExitError;
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    return ParseAndRun(args, out, err);
  } catch (const UsageError& e) {
    err << "sysbench: " << e.what() << std::endl;
  } catch (const RuntimeError& e) {
    err << "sysbench: " << e.what() << std::endl;
  } catch (const std::bad_alloc&) {
    err << "sysbench: out of memory" << std::endl;
  } catch (const std::exception& e) {
    err << "sysbench: internal error: " << e.what() << std::endl;
  }
  return kExitError;
}

}  // namespace sysbench
