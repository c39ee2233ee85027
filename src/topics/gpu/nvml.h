// What the NVIDIA driver reports about a device through NVML (libnvidia-ml.so.1, loaded at run
// time, so sysbench neither links nor needs it): the SM clock right now and the PCIe link.
// Readings from the driver are looked up, not measured by sysbench.
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sysbench::gpu {

struct PcieLink {
  int generation = 0;
  int lanes = 0;
};

class Nvml {
 public:
  // Opens the device with this PCI bus id ("0000:0A:00.0"); `available()` says whether it worked
  // and `why()` why not ("no libnvidia-ml.so.1", ...).
  explicit Nvml(const std::string& pci_bus_id);
  ~Nvml();
  Nvml(const Nvml&) = delete;
  Nvml& operator=(const Nvml&) = delete;

  bool available() const { return device_ != nullptr; }
  const std::string& why() const { return why_; }
  std::optional<double> SmClockMhz() const;
  std::optional<PcieLink> CurrentLink() const;
  std::optional<PcieLink> MaxLink() const;

 private:
  struct Api;
  std::unique_ptr<Api> api_;
  void* device_ = nullptr;
  std::string why_;
};

// Reads the SM clock every few milliseconds on a thread of its own while it lives.
class ClockSampler {
 public:
  explicit ClockSampler(const Nvml& nvml);
  ~ClockSampler();
  ClockSampler(const ClockSampler&) = delete;
  ClockSampler& operator=(const ClockSampler&) = delete;
  // Stops sampling and returns the readings (MHz).
  std::vector<double> Stop();

 private:
  const Nvml& nvml_;
  std::atomic<bool> stop_{false};
  std::vector<double> readings_;
  std::thread thread_;
};

}  // namespace sysbench::gpu
