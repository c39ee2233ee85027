#include <CLI/CLI.hpp>
#include <memory>
#include <new>

#include "cli/output_file.h"
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

// Hands each result to the reporter as it finishes and says on stderr when one is unstable.
class ReportingSink final : public ResultSink {
 public:
  ReportingSink(Reporter& reporter, Notes& notes) : reporter_(reporter), notes_(notes) {}

  void Emit(Result result) override {
    notes_.Flush();
    if (result.Unstable()) {
      const Summary s = result.SampleSummary();
      notes_.Warn(result.command + " " + result.case_id + " is unstable (median deviation " +
                  FormatHuman(s.mdape) +
                  "%): other load, frequency changes or VM neighbours; try --repetitions 20 or "
                  "--cpus to pin");
    }
    reporter_.Report(result);
  }

 private:
  Reporter& reporter_;
  Notes& notes_;
};

// Text of the global options that need checks beyond CLI11's conversions.
struct GlobalText {
  std::string min_time, warmup, cpus, threads;
  bool list = false;
};

void AddGlobalOptions(CLI::App& app, RunConfig& config, GlobalText& text) {
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
        throw UsageError("--cpus '" + text.cpus + "': CPU " + std::to_string(cpu) +
                         " is not available to this process");
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
  std::unique_ptr<OutputFile> file;
  std::ostream* data = &out;
  if (!config.output.empty()) {
    file = std::make_unique<OutputFile>(config.output);
    data = &file->Stream();
  }
  std::unique_ptr<Reporter> reporter = MakeReporter(config.format, *data);
  WarnAboutEnvironment(notes);
  reporter->Begin(BuildContextInfo(config, notes, config.format == "json"));
  RunContext context{config, notes};
  ReportingSink sink(*reporter, notes);
  command.Run(context, sink);
  notes.Flush();
  reporter->End();
  if (file) file->Commit();
  return context.exit_code;
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
    return kExitOk;
  }
  for (std::size_t i = 0; i < commands.size(); ++i) {
    if (subs[i]->parsed()) {
      ValidateGlobals(config, text);
      return RunCommand(*commands[i], config, out, err);
    }
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
