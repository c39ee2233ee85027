// The charts a topic wants in the html report, declared as data next to the topic's command
// (Command::Charts); the html reporter draws them and knows no metric or command names.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sysbench {

// A vertical line at each result's value of `metric` (e.g. a detected cache size).
struct ChartMarker {
  std::string metric;
  std::string label;
};

struct ChartSpec {
  enum class Kind {
    kLine,  // `metric` against the numeric param `x_param`, one series per `series` combination
    kBars,  // one bar of `metric` per result, labelled by its case id or by `series`
  };
  Kind kind = Kind::kLine;
  std::string title;
  std::string metric;
  // Line charts: the x axis; bars with largest_x_only: the param whose largest value is kept.
  std::string x_param;
  std::string x_label;
  std::string y_label;   // line charts; empty: "metric (unit)"
  bool bytes_x = false;  // x is a size in bytes: log2 axis with byte labels
  // Line charts: params whose values split the results into series (those that do not vary are
  // left out of the series names). Bars: params that name a bar (empty: the case id).
  std::vector<std::string> series;
  std::vector<ChartMarker> markers;
  bool ideal_y_equals_x = false;  // a dashed y = x line (ideal scaling)
  // Line charts: drawn only when some series has at least this many distinct x values.
  std::size_t min_x_values = 2;
  // Bars: a tick per bar at this metric of the same result (e.g. a peak), named in the legend.
  std::string reference_metric;
  // Bars: one bar per `series` name, from the result with the largest x_param (a sweep's end).
  bool largest_x_only = false;

  static ChartSpec Line(std::string title, std::string metric, std::string x_param,
                        std::string x_label, std::vector<std::string> series) {
    ChartSpec c;
    c.title = std::move(title);
    c.metric = std::move(metric);
    c.x_param = std::move(x_param);
    c.x_label = std::move(x_label);
    c.series = std::move(series);
    return c;
  }
  static ChartSpec Bars(std::string title, std::string metric,
                        std::vector<std::string> series = {}) {
    ChartSpec c;
    c.kind = Kind::kBars;
    c.title = std::move(title);
    c.metric = std::move(metric);
    c.series = std::move(series);
    return c;
  }
};

// The chart specs of the subcommand named `command` (none for an unknown name); filled from every
// command's Charts() by the topic registry.
const std::vector<ChartSpec>& ChartsOf(std::string_view command);

}  // namespace sysbench
