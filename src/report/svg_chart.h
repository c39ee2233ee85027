// Inline SVG charts for the html report: no scripts, no network, one string each.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sysbench::report {

struct Series {
  std::string name;
  std::vector<std::pair<double, double>> points;  // (x, y), drawn in x order
};

struct Marker {
  double x = 0;
  std::string label;
};

struct LineChart {
  std::string title, x_label, y_label;
  bool log2_x = false;   // x axis in powers of two
  bool bytes_x = false;  // x tick labels as sizes (4 KiB, 1 MiB)
  bool ideal_y_equals_x = false;
  std::vector<Series> series;
  std::vector<Marker> markers;  // vertical lines, e.g. detected cache sizes
};

struct Bar {
  std::string label;
  double value = 0;
  std::optional<double> reference;  // e.g. the peak, drawn as a tick
  std::optional<double> low, high;  // whiskers, e.g. sample min and max
};

struct BarChart {
  std::string title, unit;
  std::string reference_name;  // legend text of the reference tick ("peak")
  std::vector<Bar> bars;
};

std::string RenderSvg(const LineChart& chart);
std::string RenderSvg(const BarChart& chart);

// Tick positions from 0 (or lo) to at least hi, at 1, 2 or 5 x 10^k steps.
std::vector<double> NiceTicks(double lo, double hi, int target = 6);

}  // namespace sysbench::report
