#include "topics/flops/peak.h"

#include <fmt/format.h>

#include <array>

namespace sysbench {
namespace {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsType;

// Instructions per cycle per core for f32/f64 (any lane width), by register width (scalar, xmm,
// ymm, zmm) and operation (fma, mul+add pairs, mul, add). 0: not known (the table says so);
// -1: the width does not exist on this core.
struct Rates {
  std::array<double, 4> fma, muladd, mul, add;
};

struct Entry {
  const char* vendor;
  unsigned family, model_lo, model_hi;
  const char* name;
  Rates rates;
  const char* note;  // why an entry is 0, for the message
};

constexpr std::array<double, 4> All(double v) { return {v, v, v, v}; }
constexpr std::array<double, 4> Upto256(double v, double zmm) { return {v, v, v, zmm}; }

// Sources: AMD Software Optimization Guides for family 17h/19h/1Ah (FP pipes: 2 FMA/MUL + 2 ADD;
// Zen 4 runs 512-bit ops as two 256-bit halves, Zen 5 Turin/Granite Ridge has 512-bit pipes,
// Strix Point keeps the 256-bit datapath); Intel Optimization Reference Manual (FMA, MUL and ADD
// share ports 0 and 1, plus port 5 for 512-bit on two-FMA server parts; client Ice/Tiger/Rocket
// Lake has one 512-bit FMA unit, ports 0+1 fused).
constexpr Entry kTable[] = {
    {"AuthenticAMD", 0x1A, 0x00, 0x0F, "Zen 5 (Turin)", {All(2), All(2), All(2), All(2)}, ""},
    {"AuthenticAMD",
     0x1A,
     0x40,
     0x4F,
     "Zen 5 (Granite Ridge)",
     {All(2), All(2), All(2), All(2)},
     ""},
    {"AuthenticAMD",
     0x1A,
     0x20,
     0x2F,
     "Zen 5 (Strix Point, 256-bit datapath)",
     {Upto256(2, 1), Upto256(2, 1), Upto256(2, 1), Upto256(2, 1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0x10,
     0x1F,
     "Zen 4 (Genoa)",
     {Upto256(2, 1), Upto256(2, 1), Upto256(2, 1), Upto256(2, 1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0x60,
     0x7F,
     "Zen 4 (Raphael/Phoenix)",
     {Upto256(2, 1), Upto256(2, 1), Upto256(2, 1), Upto256(2, 1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0xA0,
     0xAF,
     "Zen 4c (Bergamo)",
     {Upto256(2, 1), Upto256(2, 1), Upto256(2, 1), Upto256(2, 1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0x00,
     0x0F,
     "Zen 3 (Milan)",
     {Upto256(2, -1), Upto256(2, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0x20,
     0x2F,
     "Zen 3 (Vermeer)",
     {Upto256(2, -1), Upto256(2, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"AuthenticAMD",
     0x19,
     0x40,
     0x5F,
     "Zen 3 (Rembrandt/Cezanne)",
     {Upto256(2, -1), Upto256(2, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"AuthenticAMD",
     0x17,
     0x30,
     0x3F,
     "Zen 2 (Rome)",
     {Upto256(2, -1), Upto256(2, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"AuthenticAMD",
     0x17,
     0x60,
     0x7F,
     "Zen 2 (Renoir/Matisse)",
     {Upto256(2, -1), Upto256(2, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"GenuineIntel",
     6,
     0x55,
     0x55,
     "Skylake-SP/Cascade Lake",
     {Upto256(2, 0), Upto256(1, 0), Upto256(2, 0), Upto256(2, 0)},
     "Skylake-SP has one or two 512-bit FMA units depending on the SKU, which cpuid does not tell"},
    {"GenuineIntel", 6, 0x6A, 0x6C, "Ice Lake-SP", {All(2), All(1), All(2), All(2)}, ""},
    {"GenuineIntel",
     6,
     0x8F,
     0x8F,
     "Sapphire Rapids",
     {All(2), All(0), All(2), All(2)},
     "Golden Cove adds on ports 1 and 5 besides the FMA units; mul+add pairing is not tabled"},
    {"GenuineIntel",
     6,
     0xCF,
     0xCF,
     "Emerald Rapids",
     {All(2), All(0), All(2), All(2)},
     "Golden Cove adds on ports 1 and 5 besides the FMA units; mul+add pairing is not tabled"},
    {"GenuineIntel",
     6,
     0xAD,
     0xAE,
     "Granite Rapids",
     {All(2), All(0), All(2), All(2)},
     "Redwood Cove adds on ports 1 and 5 besides the FMA units; mul+add pairing is not tabled"},
    {"GenuineIntel",
     6,
     0x7D,
     0x7E,
     "Ice Lake (client)",
     {Upto256(2, 1), Upto256(1, 0), Upto256(2, 1), Upto256(2, 1)},
     "one fused 512-bit unit: mul+add pairing at 512 bits is not tabled"},
    {"GenuineIntel",
     6,
     0x8C,
     0x8D,
     "Tiger Lake",
     {Upto256(2, 1), Upto256(1, 0), Upto256(2, 1), Upto256(2, 1)},
     "one fused 512-bit unit: mul+add pairing at 512 bits is not tabled"},
    {"GenuineIntel",
     6,
     0xA7,
     0xA7,
     "Rocket Lake",
     {Upto256(2, 1), Upto256(1, 0), Upto256(2, 1), Upto256(2, 1)},
     "one fused 512-bit unit: mul+add pairing at 512 bits is not tabled"},
    {"GenuineIntel",
     6,
     0x4E,
     0x4E,
     "Skylake (client)",
     {Upto256(2, -1), Upto256(1, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"GenuineIntel",
     6,
     0x5E,
     0x5E,
     "Skylake (client)",
     {Upto256(2, -1), Upto256(1, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"GenuineIntel",
     6,
     0x8E,
     0x8E,
     "Kaby/Coffee/Whiskey Lake",
     {Upto256(2, -1), Upto256(1, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"GenuineIntel",
     6,
     0x9E,
     0x9E,
     "Kaby/Coffee Lake",
     {Upto256(2, -1), Upto256(1, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
    {"GenuineIntel",
     6,
     0xA5,
     0xA6,
     "Comet Lake",
     {Upto256(2, -1), Upto256(1, -1), Upto256(2, -1), Upto256(2, -1)},
     ""},
};

const Entry* Find(const std::string& vendor, unsigned family, unsigned model) {
  for (const Entry& e : kTable) {
    if (vendor == e.vendor && family == e.family && model >= e.model_lo && model <= e.model_hi) {
      return &e;
    }
  }
  return nullptr;
}

}  // namespace

Microarchitecture IdentifyMicroarchitecture(const std::string& vendor, unsigned family,
                                            unsigned model) {
  if (const Entry* e = Find(vendor, family, model)) return {e->name, ""};
  return {"", fmt::format("the peak table does not know this CPU ({} family {:#x} model {:#x}); no "
                          "peak is guessed",
                          vendor, family, model)};
}

std::optional<double> PeakOpsPerCycle(const std::string& vendor, unsigned family, unsigned model,
                                      FlopsIsa isa, FlopsType type, FlopsOp op, std::string& why) {
  const Entry* e = Find(vendor, family, model);
  if (e == nullptr) {
    why = IdentifyMicroarchitecture(vendor, family, model).why_unknown;
    return std::nullopt;
  }
  if (type != FlopsType::kF64 && type != FlopsType::kF32) {
    why = fmt::format(
        "the peak table covers f64 and f32 only; no peak is tabled for this data type on {}",
        e->name);
    return std::nullopt;
  }
  if (isa == FlopsIsa::kAmx) {
    why = fmt::format("the peak table has no AMX entries for {}", e->name);
    return std::nullopt;
  }
  const std::size_t width = static_cast<std::size_t>(isa);
  double ipc = 0;
  switch (op) {
    case FlopsOp::kFma:
      ipc = e->rates.fma[width];
      break;
    case FlopsOp::kMulAdd:
      ipc = e->rates.muladd[width];
      break;
    case FlopsOp::kMul:
      ipc = e->rates.mul[width];
      break;
    case FlopsOp::kAdd:
      ipc = e->rates.add[width];
      break;
  }
  if (ipc <= 0) {
    why = ipc < 0 ? fmt::format("{} has no such registers", e->name)
                  : fmt::format("{}: {}", e->name, e->note);
    return std::nullopt;
  }
  // Operations per instruction (or per mul+add pair) per cycle.
  const double lanes =
      static_cast<double>(kernels::RegisterBytes(isa, type) / kernels::ElementBytes(type));
  const double per_instruction = op == FlopsOp::kFma || op == FlopsOp::kMulAdd ? 2.0 : 1.0;
  return ipc * lanes * per_instruction;
}

}  // namespace sysbench
