#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>

#include "report/escape.h"
#include "sysbench/units.h"

namespace sysbench::report {
namespace {

constexpr const char* kPalette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                    "#9467bd", "#8c564b", "#e377c2", "#17becf"};
constexpr std::size_t kPaletteSize = sizeof kPalette / sizeof kPalette[0];

std::string Num(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

// Short axis labels: 0.25, 40, 1.5k, 150M.
std::string TickLabel(double v) {
  if (v == 0) return "0";
  const char* suffix = "";
  double scaled = v;
  for (const auto& [factor, name] :
       {std::pair<double, const char*>{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e4, "k"}}) {
    if (std::fabs(v) >= factor) {
      scaled = v / (factor == 1e4 ? 1e3 : factor);
      suffix = name;
      break;
    }
  }
  char text[32];
  std::snprintf(text, sizeof text, "%.4g%s", scaled, suffix);
  return text;
}

std::string Text(double x, double y, const std::string& text, const char* anchor = "middle",
                 const char* extra = "") {
  return "<text x=\"" + Num(x) + "\" y=\"" + Num(y) + "\" text-anchor=\"" + anchor + "\" " + extra +
         ">" + XmlEscape(text) + "</text>";
}

std::string Line(double x1, double y1, double x2, double y2, const std::string& style) {
  return "<line x1=\"" + Num(x1) + "\" y1=\"" + Num(y1) + "\" x2=\"" + Num(x2) + "\" y2=\"" +
         Num(y2) + "\" " + style + "/>";
}

std::string Shorten(const std::string& text, std::size_t max) {
  return text.size() <= max ? text : text.substr(0, max - 1) + "\u2026";
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target) {
  if (!(hi > lo)) hi = lo + 1;
  const double raw = (hi - lo) / std::max(1, target);
  const double magnitude = std::pow(10, std::floor(std::log10(raw)));
  double step = magnitude;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * magnitude;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  const double first = std::floor(lo / step) * step;
  for (double t = first; t < hi + step * 0.999; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0 : t);
    if (ticks.size() > 50) break;
  }
  return ticks;
}

std::string RenderSvg(const LineChart& chart) {
  constexpr double kWidth = 880, kHeight = 380, kLeft = 72, kRight = 190, kTop = 34, kBottom = 54;
  const double plot_w = kWidth - kLeft - kRight, plot_h = kHeight - kTop - kBottom;
  double x_min = std::numeric_limits<double>::infinity(), x_max = -x_min;
  double y_max = 0, y_min = 0;
  for (const Series& s : chart.series) {
    for (const auto& [x, y] : s.points) {
      if (!std::isfinite(x) || !std::isfinite(y) || (chart.log2_x && x <= 0)) continue;
      x_min = std::min(x_min, x);
      x_max = std::max(x_max, x);
      y_max = std::max(y_max, y);
      y_min = std::min(y_min, y);
    }
  }
  if (!std::isfinite(x_min)) return "";
  if (chart.ideal_y_equals_x) y_max = std::max(y_max, x_max);
  auto tx = [&](double x) { return chart.log2_x ? std::log2(x) : x; };
  double lo = tx(x_min), hi = tx(x_max);
  if (hi <= lo) {
    lo -= 1;
    hi += 1;
  }
  const std::vector<double> y_ticks = NiceTicks(y_min, y_max * 1.05);
  const double y_lo = y_ticks.front(), y_hi = y_ticks.back();
  auto px = [&](double x) { return kLeft + (tx(x) - lo) / (hi - lo) * plot_w; };
  auto py = [&](double y) { return kTop + plot_h - (y - y_lo) / (y_hi - y_lo) * plot_h; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << kWidth
      << "\" height=\"" << kHeight << "\" viewBox=\"0 0 " << kWidth << ' ' << kHeight
      << "\" role=\"img\" aria-label=\"" << XmlEscape(chart.title) << "\">";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>";
  svg << Text(kWidth / 2 - kRight / 2, 20, chart.title, "middle", "class=\"title\"");
  // Grid and y ticks.
  for (double t : y_ticks) {
    svg << Line(kLeft, py(t), kLeft + plot_w, py(t), "stroke=\"#e5e5e5\"");
    svg << Text(kLeft - 6, py(t) + 4, TickLabel(t), "end");
  }
  // x ticks.
  std::vector<double> x_ticks;
  if (chart.log2_x) {
    const int first = static_cast<int>(std::ceil(lo - 1e-9)),
              last = static_cast<int>(std::floor(hi + 1e-9));
    const int step = std::max(1, (last - first + 9) / 10);
    for (int e = first; e <= last; e += step) x_ticks.push_back(std::exp2(e));
  } else {
    for (double t : NiceTicks(lo, hi, 8)) {
      if (t >= lo - 1e-9 && t <= hi + 1e-9) x_ticks.push_back(t);
    }
  }
  for (double t : x_ticks) {
    svg << Line(px(t), kTop, px(t), kTop + plot_h, "stroke=\"#f0f0f0\"");
    svg << Text(px(t), kTop + plot_h + 16, chart.bytes_x ? FormatBytes(t) : TickLabel(t));
  }
  svg << Line(kLeft, kTop + plot_h, kLeft + plot_w, kTop + plot_h, "stroke=\"#333\"");
  svg << Line(kLeft, kTop, kLeft, kTop + plot_h, "stroke=\"#333\"");
  svg << Text(kLeft + plot_w / 2, kHeight - 12,
              chart.x_label + (chart.log2_x ? " (log scale)" : ""));
  svg << "<text transform=\"translate(16," << Num(kTop + plot_h / 2)
      << ") rotate(-90)\" text-anchor=\"middle\">" << XmlEscape(chart.y_label) << "</text>";
  for (const Marker& m : chart.markers) {
    if (!(m.x >= x_min && m.x <= x_max)) continue;
    svg << Line(px(m.x), kTop, px(m.x), kTop + plot_h, "stroke=\"#888\" stroke-dasharray=\"4 3\"");
    svg << Text(px(m.x) + 3, kTop + 12, m.label, "start", "class=\"small\"");
  }
  if (chart.ideal_y_equals_x) {
    svg << Line(px(x_min), py(x_min), px(x_max), py(x_max),
                "stroke=\"#999\" stroke-dasharray=\"6 4\"");
  }
  double legend_y = kTop + 8;
  for (std::size_t i = 0; i < chart.series.size(); ++i) {
    const Series& s = chart.series[i];
    const char* color = kPalette[i % kPaletteSize];
    std::vector<std::pair<double, double>> points;
    for (const auto& p : s.points) {
      if (std::isfinite(p.first) && std::isfinite(p.second) && (!chart.log2_x || p.first > 0))
        points.push_back(p);
    }
    std::sort(points.begin(), points.end());
    if (points.empty()) continue;
    svg << "<polyline fill=\"none\" stroke=\"" << color << "\" stroke-width=\"2\" points=\"";
    for (const auto& [x, y] : points) svg << Num(px(x)) << ',' << Num(py(y)) << ' ';
    svg << "\"/>";
    for (const auto& [x, y] : points) {
      svg << "<circle cx=\"" << Num(px(x)) << "\" cy=\"" << Num(py(y)) << "\" r=\"3\" fill=\""
          << color << "\"><title>" << XmlEscape(s.name) << ": "
          << XmlEscape(chart.bytes_x ? FormatBytes(x) : FormatHuman(x)) << " \u2192 "
          << XmlEscape(FormatHuman(y)) << "</title></circle>";
    }
    svg << Line(kWidth - kRight + 14, legend_y, kWidth - kRight + 34, legend_y,
                std::string("stroke=\"") + color + "\" stroke-width=\"3\"");
    svg << Text(kWidth - kRight + 40, legend_y + 4, Shorten(s.name, 24), "start");
    legend_y += 18;
  }
  if (chart.ideal_y_equals_x) {
    svg << Line(kWidth - kRight + 14, legend_y, kWidth - kRight + 34, legend_y,
                "stroke=\"#999\" stroke-dasharray=\"6 4\"");
    svg << Text(kWidth - kRight + 40, legend_y + 4, "ideal", "start");
  }
  svg << "</svg>";
  return svg.str();
}

std::string RenderSvg(const BarChart& chart) {
  constexpr double kWidth = 880, kLabel = 300, kRight = 110, kTop = 34, kRow = 22, kBottom = 40;
  const double plot_w = kWidth - kLabel - kRight;
  const double height = kTop + kRow * static_cast<double>(chart.bars.size()) + kBottom;
  double max = 0;
  bool any_reference = false;
  for (const Bar& b : chart.bars) {
    max = std::max(max, b.value);
    if (b.reference) {
      max = std::max(max, *b.reference);
      any_reference = true;
    }
    if (b.high) max = std::max(max, *b.high);
  }
  if (!(max > 0)) max = 1;
  const std::vector<double> ticks = NiceTicks(0, max * 1.02);
  const double top_tick = ticks.back();
  auto px = [&](double v) { return kLabel + std::max(0.0, v) / top_tick * plot_w; };

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" width=\"" << kWidth
      << "\" height=\"" << Num(height) << "\" viewBox=\"0 0 " << kWidth << ' ' << Num(height)
      << "\" role=\"img\" aria-label=\"" << XmlEscape(chart.title) << "\">";
  svg << "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>";
  svg << Text(kWidth / 2, 20, chart.title, "middle", "class=\"title\"");
  const double plot_bottom = kTop + kRow * static_cast<double>(chart.bars.size());
  for (double t : ticks) {
    svg << Line(px(t), kTop, px(t), plot_bottom, "stroke=\"#eee\"");
    svg << Text(px(t), plot_bottom + 16, TickLabel(t));
  }
  svg << Text(kLabel + plot_w / 2, height - 6, chart.unit);
  for (std::size_t i = 0; i < chart.bars.size(); ++i) {
    const Bar& b = chart.bars[i];
    const double y = kTop + kRow * static_cast<double>(i);
    svg << Text(kLabel - 8, y + 15, Shorten(b.label, 44), "end");
    svg << "<rect x=\"" << Num(kLabel) << "\" y=\"" << Num(y + 4) << "\" width=\""
        << Num(px(b.value) - kLabel) << "\" height=\"" << Num(kRow - 8) << "\" fill=\""
        << kPalette[0] << "\"><title>" << XmlEscape(b.label) << ": "
        << XmlEscape(FormatHuman(b.value)) << ' ' << XmlEscape(chart.unit) << "</title></rect>";
    if (b.low && b.high) {
      svg << Line(px(*b.low), y + kRow / 2, px(*b.high), y + kRow / 2, "stroke=\"#222\"");
      svg << Line(px(*b.low), y + 7, px(*b.low), y + kRow - 7, "stroke=\"#222\"");
      svg << Line(px(*b.high), y + 7, px(*b.high), y + kRow - 7, "stroke=\"#222\"");
    }
    if (b.reference) {
      svg << Line(px(*b.reference), y + 1, px(*b.reference), y + kRow - 1,
                  "stroke=\"#d62728\" stroke-width=\"3\"");
    }
    const double text_x = std::max(px(b.value), b.high ? px(*b.high) : 0.0) + 6;
    svg << Text(text_x, y + 15, TickLabel(b.value), "start", "class=\"small\"");
  }
  svg << Line(kLabel, kTop, kLabel, plot_bottom, "stroke=\"#333\"");
  if (any_reference) {
    svg << Line(kWidth - kRight + 10, 14, kWidth - kRight + 10, 28,
                "stroke=\"#d62728\" stroke-width=\"3\"");
    svg << Text(kWidth - kRight + 16, 25, chart.reference_name, "start", "class=\"small\"");
  }
  svg << "</svg>";
  return svg.str();
}

}  // namespace sysbench::report
