// `sysbench float-info`: what each number format can hold, checked on this CPU (the seed's
// sys.float_info, for every type a CPU or PyTorch handles).
#include <CLI/CLI.hpp>

#include "topics/float_info/facts.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

class FloatInfoCommand final : public Command {
 public:
  std::string_view Name() const override { return "float-info"; }
  std::string_view Summary() const override {
    return "Limits, bit patterns and hardware support of float16 ... float64, long double, ints";
  }
  void AddOptions(CLI::App& sub) override {
    value_option_ =
        sub.add_option("--value", value_, "Show how this number is stored in each float type");
  }

  void Run(const RunContext&, ResultSink& sink) override {
    if (value_option_ != nullptr && value_option_->count() > 0) {
      for (Result& r : ValueFacts(value_)) sink.Emit(std::move(r));
      return;
    }
    for (Result& r : FloatTypeFacts()) sink.Emit(std::move(r));
    for (Result& r : IntegerTypeFacts()) sink.Emit(std::move(r));
    for (Result& r : HardwareFacts()) sink.Emit(std::move(r));
  }

 private:
  std::string value_;
  CLI::Option* value_option_ = nullptr;
};

}  // namespace

std::unique_ptr<Command> MakeFloatInfoCommand() { return std::make_unique<FloatInfoCommand>(); }

}  // namespace sysbench
