#include "cli/suite.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <new>

#include "cli/output_file.h"
#include "cli/run_support.h"
#include "sysbench/cleanup.h"
#include "sysbench/cli.h"
#include "sysbench/command.h"
#include "sysbench/environment.h"
#include "sysbench/error.h"

namespace sysbench {
namespace {

constexpr double kQuickBudgetSeconds = 30;

std::vector<std::unique_ptr<Command>> SelectCommands(std::vector<std::unique_ptr<Command>> all,
                                                     const SuiteOptions& options) {
  std::vector<std::string> names;
  for (const auto& c : all) names.emplace_back(c->Name());
  if (!options.only.empty() && !options.skip.empty()) {
    throw UsageError("--only and --skip cannot be used together");
  }
  const bool only = !options.only.empty();
  const std::vector<std::string> listed =
      only ? ParseNameList(options.only, "--only", names)
           : (options.skip.empty() ? std::vector<std::string>{}
                                   : ParseNameList(options.skip, "--skip", names));
  std::vector<std::unique_ptr<Command>> chosen;
  for (auto& c : all) {
    const bool in_list = std::find(listed.begin(), listed.end(), c->Name()) != listed.end();
    if (in_list == only) chosen.push_back(std::move(c));
  }
  if (chosen.empty()) throw UsageError("--skip '" + options.skip + "' leaves nothing to run");
  return chosen;
}

// One stderr line per failed subcommand; the suite goes on with the next one.
bool RunOne(Command& command, const RunContext& context, ResultSink& sink, Notes& notes,
            std::ostream& err) {
  std::string error;
  try {
    command.Run(context, sink);
    return true;
  } catch (const UsageError& e) {
    error = e.what();
  } catch (const RuntimeError& e) {
    error = e.what();
  } catch (const std::bad_alloc&) {
    error = "out of memory";
  } catch (const std::exception& e) {
    error = std::string("internal error: ") + e.what();
  }
  notes.Flush();
  err << "sysbench: all: " << command.Name() << " failed: " << error << std::endl;
  return false;
}

}  // namespace

int RunSuite(const SuiteOptions& options, const RunConfig& config, std::ostream& out,
             std::ostream& err, bool progress) {
  return RunSuiteOf(MakeCommands(), options, config, out, err, progress);
}

int RunSuiteOf(std::vector<std::unique_ptr<Command>> registry, const SuiteOptions& options,
               const RunConfig& config, std::ostream& out, std::ostream& err, bool progress) {
  // Everything that can be wrong with the input is checked before anything is measured.
  std::vector<std::unique_ptr<Command>> commands = SelectCommands(std::move(registry), options);
  const bool comparing = !options.baseline.empty();
  if (!comparing && !options.save.empty()) throw UsageError("--save needs --baseline");
  if (!comparing && !options.summary.empty()) throw UsageError("--summary needs --baseline");
  if (!options.summary.empty()) CheckAppendable(options.summary, "--summary");
  if (options.runs < 1 || options.runs > report::kMaxRunsPerDocument) {
    throw UsageError("--runs " + std::to_string(options.runs) + ": must be from 1 to " +
                     std::to_string(report::kMaxRunsPerDocument));
  }
  CompareOptions compare_options;
  compare_options.threshold_pct = ParseThreshold(options.threshold, "--threshold");
  compare_options.alpha = options.alpha;
  compare_options.strict_env = options.strict_env;
  CheckGate(options.gate, "--gate");
  compare_options.gate = options.gate;
  RunSet baseline;
  if (comparing) {
    CheckComparisonFormat(config.format);
    baseline = ReadRunSet(options.baseline);
    if (baseline.runs.size() < 2) {
      throw UsageError("--baseline '" + options.baseline +
                       "' holds one run: the gate needs the spread between runs; record it with "
                       "'all --runs 5' or give a folder of runs");
    }
  }

  Notes notes(config.quiet, err);
  InstallCleanupHandlers();
  DataOutput data(config.output, out);
  // With --baseline the comparison is the data; the run itself goes to --save (json) or nowhere.
  std::unique_ptr<OutputFile> save_file;
  std::unique_ptr<Reporter> reporter;
  if (!comparing) {
    reporter = MakeReporter(config.format, data.Stream());
  } else if (!options.save.empty()) {
    save_file = std::make_unique<OutputFile>(options.save);
    reporter = MakeReporter("json", save_file->Stream());
  } else {
    reporter = std::make_unique<NullReporter>();
  }

  WarnAboutEnvironment(notes);
  RunContextInfo context_info =
      BuildContextInfo(config, notes, comparing || WantsMeasuredClock(config.format));
  for (const auto& command : commands) command->AddContext(context_info);
  reporter->Begin(context_info);
  RunContext context{config, notes};
  std::vector<Result> results;
  ReportingSink sink(*reporter, notes, comparing ? &results : nullptr);
  std::vector<std::string> failed;
  std::vector<std::pair<double, std::string>> durations;
  const auto suite_start = std::chrono::steady_clock::now();
  const std::size_t steps = commands.size() * static_cast<std::size_t>(options.runs);
  for (std::size_t step = 0; step < steps; ++step) {
    Command& command = *commands[step % commands.size()];
    const int run = static_cast<int>(step / commands.size()) + 1;
    sink.SetRun(options.runs > 1 ? run : 0);
    const auto start = std::chrono::steady_clock::now();
    if (progress && !config.quiet) {
      err << "\r\033[Ksysbench: all [" << step + 1 << '/' << steps << "] " << command.Name()
          << (options.runs > 1 ? " (run " + std::to_string(run) + ")" : "") << " ..." << std::flush;
    }
    const bool ok = RunOne(command, context, sink, notes, err);
    if (progress && !config.quiet) err << "\r\033[K" << std::flush;
    if (!ok && std::find(failed.begin(), failed.end(), command.Name()) == failed.end()) {
      failed.emplace_back(command.Name());
    }
    durations.emplace_back(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
        std::string(command.Name()));
  }
  const double total =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - suite_start).count();
  if (config.quick && total > kQuickBudgetSeconds * options.runs) {
    std::sort(durations.rbegin(), durations.rend());
    std::string slowest;
    for (std::size_t i = 0; i < durations.size() && i < 3; ++i) {
      char text[96];
      std::snprintf(text, sizeof text, "%s%s %.1f s", i ? ", " : "", durations[i].second.c_str(),
                    durations[i].first);
      slowest += text;
    }
    char text[64];
    std::snprintf(text, sizeof text, "all --quick took %.1f s (budget %.0f s); slowest: ", total,
                  kQuickBudgetSeconds * options.runs);
    notes.Warn(text + slowest);
  }
  notes.Flush();
  reporter->End();
  if (save_file) save_file->Commit();

  int code = kExitOk;
  if (comparing) {
    report::ResultsDocument document;
    document.path = options.save.empty() ? "this run" : options.save;
    document.context = context_info;
    document.results = std::move(results);
    const RunSet current = SplitRuns(std::move(document));
    code = FinishComparison(baseline, current, compare_options, config.format, options.summary,
                            data.Stream(), notes, err);
  }
  data.Commit();
  if (!failed.empty()) {
    err << "sysbench: all: " << failed.size() << " of " << commands.size()
        << " subcommand(s) failed: " << Join(failed, ", ") << std::endl;
    return kExitError;
  }
  return std::max(code, context.exit_code);
}

}  // namespace sysbench
