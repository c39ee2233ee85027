#include "topics/gpu/peaks.h"

#include <charconv>
#include <cmath>
#include <vector>

namespace sysbench::gpu {

OpNames NamesOf(GpuOp op) {
  switch (op) {
    case GpuOp::kF64Fma:
      return {"fma", "f64", "cores", "DFMA"};
    case GpuOp::kF32Fma:
      return {"fma", "f32", "cores", "FFMA"};
    case GpuOp::kF16Fma:
      return {"fma", "f16", "cores", "HFMA2"};
    case GpuOp::kBf16Fma:
      return {"fma", "bf16", "cores", "HFMA2.BF16"};
    case GpuOp::kInt32Mad:
      return {"mad", "int32", "cores", "IMAD", true};
    case GpuOp::kInt8Dp4a:
      return {"dp4a", "int8", "cores", "IDP.4A", true};
    case GpuOp::kF16Mma:
      return {"mma", "f16", "tensor", "HMMA.16816.F32"};
    case GpuOp::kBf16Mma:
      return {"mma", "bf16", "tensor", "HMMA.16816.F32.BF16"};
    case GpuOp::kInt8Mma:
      return {"mma", "int8", "tensor", "IMMA.16832.S8.S8", true};
    case GpuOp::kF16Wgmma:
      return {"wgmma", "f16", "tensor", "HGMMA.64x256x16.F32"};
    case GpuOp::kBf16Wgmma:
      return {"wgmma", "bf16", "tensor", "HGMMA.64x256x16.F32.BF16"};
    case GpuOp::kInt8Wgmma:
      return {"wgmma", "int8", "tensor", "IGMMA.64x256x32.S8.S8", true};
  }
  return {"?", "?", "?", "?"};
}

const std::vector<GpuOp>& AllGpuOps() {
  static const std::vector<GpuOp> ops = {GpuOp::kF64Fma,   GpuOp::kF32Fma,    GpuOp::kF16Fma,
                                         GpuOp::kBf16Fma,  GpuOp::kInt32Mad,  GpuOp::kInt8Dp4a,
                                         GpuOp::kF16Mma,   GpuOp::kBf16Mma,   GpuOp::kInt8Mma,
                                         GpuOp::kF16Wgmma, GpuOp::kBf16Wgmma, GpuOp::kInt8Wgmma};
  return ops;
}

std::vector<GpuOp> OpsOfDtypes(const std::vector<std::string>& dtypes) {
  std::vector<GpuOp> ops;
  for (GpuOp op : AllGpuOps()) {
    for (const std::string& dtype : dtypes) {
      if (NamesOf(op).dtype == dtype) ops.push_back(op);
    }
  }
  return ops;
}

std::optional<double> OpsPerSmCycle(int cc_major, int cc_minor, GpuOp op) {
  const int cc = cc_major * 10 + cc_minor;
  // {f64 fma, f32 fma, f16 fma, bf16 fma, int32 mad, f16 tensor, bf16 tensor, int8 tensor}, in
  // operations per SM per clock; 0 where the rate is not published or the unit is absent.
  struct Row {
    int cc;
    double f64, f32, f16, bf16, int32, tensor_f16, tensor_bf16, tensor_int8;
  };
  static const Row kRows[] = {
      {70, 64, 128, 256, 0, 128, 1024, 0, 0},           // V100
      {80, 64, 128, 512, 256, 128, 2048, 2048, 4096},   // A100
      {90, 128, 256, 512, 512, 128, 4096, 4096, 8192},  // H100, H200
  };
  for (const Row& row : kRows) {
    if (row.cc != cc) continue;
    double rate = 0;
    switch (op) {
      case GpuOp::kF64Fma:
        rate = row.f64;
        break;
      case GpuOp::kF32Fma:
        rate = row.f32;
        break;
      case GpuOp::kF16Fma:
        rate = row.f16;
        break;
      case GpuOp::kBf16Fma:
        rate = row.bf16;
        break;
      case GpuOp::kInt32Mad:
        rate = row.int32;
        break;
      case GpuOp::kInt8Dp4a:
        rate = 0;  // not published per SM
        break;
      case GpuOp::kF16Mma:
      case GpuOp::kF16Wgmma:
        rate = row.tensor_f16;
        break;
      case GpuOp::kBf16Mma:
      case GpuOp::kBf16Wgmma:
        rate = row.tensor_bf16;
        break;
      case GpuOp::kInt8Mma:
      case GpuOp::kInt8Wgmma:
        rate = row.tensor_int8;
        break;
    }
    if (rate > 0) return rate;
    return std::nullopt;
  }
  return std::nullopt;
}

double MemoryGbps(double memory_clock_mhz, int bus_bits) {
  if (memory_clock_mhz <= 0 || bus_bits <= 0) return 0;
  return 2.0 * memory_clock_mhz * 1e6 * bus_bits / 8 / 1e9;
}

std::optional<double> PcieGbps(int generation, int lanes) {
  if (lanes <= 0) return std::nullopt;
  // Transfer rate per lane (GT/s) and the share of it that carries data.
  double gts = 0, encoding = 0;
  switch (generation) {
    case 1:
      gts = 2.5, encoding = 8.0 / 10;
      break;
    case 2:
      gts = 5, encoding = 8.0 / 10;
      break;
    case 3:
      gts = 8, encoding = 128.0 / 130;
      break;
    case 4:
      gts = 16, encoding = 128.0 / 130;
      break;
    case 5:
      gts = 32, encoding = 128.0 / 130;
      break;
    case 6:
      gts = 64, encoding = 242.0 / 256;  // FLIT mode
      break;
    default:
      return std::nullopt;
  }
  return gts * lanes * encoding / 8;
}

std::optional<int> PcieGenerationFromSpeed(std::string_view text) {
  double gts = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), gts);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  const std::pair<double, int> kSpeeds[] = {{2.5, 1}, {5, 2}, {8, 3}, {16, 4}, {32, 5}, {64, 6}};
  for (const auto& [speed, generation] : kSpeeds) {
    if (std::abs(gts - speed) < 0.01) return generation;
  }
  return std::nullopt;
}

}  // namespace sysbench::gpu
