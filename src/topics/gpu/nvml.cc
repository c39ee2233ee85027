#include "topics/gpu/nvml.h"

#include <dlfcn.h>

#include <chrono>

namespace sysbench::gpu {
namespace {

// The few NVML entry points used, declared from NVML's C API (all return 0 on success).
using NvmlDevice = void*;
using InitFn = int (*)();
using ShutdownFn = int (*)();
using HandleByBusIdFn = int (*)(const char*, NvmlDevice*);
using ClockFn = int (*)(NvmlDevice, int, unsigned*);
using LinkFn = int (*)(NvmlDevice, unsigned*);
constexpr int kClockSm = 1;  // NVML_CLOCK_SM
constexpr auto kSamplePeriod = std::chrono::milliseconds(5);

template <typename Fn>
Fn Symbol(void* library, const char* name) {
  return reinterpret_cast<Fn>(dlsym(library, name));
}

}  // namespace

struct Nvml::Api {
  void* library = nullptr;
  ShutdownFn shutdown = nullptr;
  ClockFn clock = nullptr;
  LinkFn link_generation = nullptr, link_width = nullptr;
  LinkFn max_link_generation = nullptr, max_link_width = nullptr;
};

Nvml::Nvml(const std::string& pci_bus_id) : api_(std::make_unique<Api>()) {
  api_->library = dlopen("libnvidia-ml.so.1", RTLD_NOW | RTLD_LOCAL);
  if (api_->library == nullptr) {
    why_ = "no libnvidia-ml.so.1 (NVML, part of the NVIDIA driver)";
    return;
  }
  const auto init = Symbol<InitFn>(api_->library, "nvmlInit_v2");
  const auto by_bus_id = Symbol<HandleByBusIdFn>(api_->library, "nvmlDeviceGetHandleByPciBusId_v2");
  api_->shutdown = Symbol<ShutdownFn>(api_->library, "nvmlShutdown");
  api_->clock = Symbol<ClockFn>(api_->library, "nvmlDeviceGetClockInfo");
  api_->link_generation = Symbol<LinkFn>(api_->library, "nvmlDeviceGetCurrPcieLinkGeneration");
  api_->link_width = Symbol<LinkFn>(api_->library, "nvmlDeviceGetCurrPcieLinkWidth");
  api_->max_link_generation = Symbol<LinkFn>(api_->library, "nvmlDeviceGetMaxPcieLinkGeneration");
  api_->max_link_width = Symbol<LinkFn>(api_->library, "nvmlDeviceGetMaxPcieLinkWidth");
  if (init == nullptr || by_bus_id == nullptr || api_->shutdown == nullptr) {
    why_ = "libnvidia-ml.so.1 lacks nvmlInit_v2 or nvmlDeviceGetHandleByPciBusId_v2";
    return;
  }
  if (init() != 0) {
    api_->shutdown = nullptr;
    why_ = "nvmlInit_v2 failed";
    return;
  }
  NvmlDevice device = nullptr;
  if (by_bus_id(pci_bus_id.c_str(), &device) != 0) {
    why_ = "NVML does not know the device at " + pci_bus_id;
    return;
  }
  device_ = device;
}

Nvml::~Nvml() {
  if (api_->shutdown != nullptr) api_->shutdown();
  if (api_->library != nullptr) dlclose(api_->library);
}

std::optional<double> Nvml::SmClockMhz() const {
  unsigned mhz = 0;
  if (device_ == nullptr || api_->clock == nullptr || api_->clock(device_, kClockSm, &mhz) != 0) {
    return std::nullopt;
  }
  return mhz;
}

namespace {
std::optional<PcieLink> ReadLink(void* device, LinkFn generation, LinkFn width) {
  unsigned gen = 0, lanes = 0;
  if (device == nullptr || generation == nullptr || width == nullptr ||
      generation(device, &gen) != 0 || width(device, &lanes) != 0) {
    return std::nullopt;
  }
  return PcieLink{static_cast<int>(gen), static_cast<int>(lanes)};
}
}  // namespace

std::optional<PcieLink> Nvml::CurrentLink() const {
  return ReadLink(device_, api_->link_generation, api_->link_width);
}
std::optional<PcieLink> Nvml::MaxLink() const {
  return ReadLink(device_, api_->max_link_generation, api_->max_link_width);
}

ClockSampler::ClockSampler(const Nvml& nvml) : nvml_(nvml) {
  if (!nvml_.available()) return;
  thread_ = std::thread([this] {
    while (!stop_.load(std::memory_order_relaxed)) {
      if (const auto mhz = nvml_.SmClockMhz()) readings_.push_back(*mhz);
      std::this_thread::sleep_for(kSamplePeriod);
    }
  });
}

ClockSampler::~ClockSampler() { Stop(); }

std::vector<double> ClockSampler::Stop() {
  stop_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
  return readings_;
}

}  // namespace sysbench::gpu
