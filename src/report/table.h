// One long-form table model shared by the tabular formats: one row per result x metric, so the
// columns never depend on which metrics a command has.
#pragma once

#include <string>
#include <vector>

#include "sysbench/result.h"

namespace sysbench::report {

struct Row {
  std::string command;
  std::string case_id;
  std::string params;  // "dtype=f32 isa=avx512"
  std::string metric;
  std::string value;  // exact (shortest round-trip) or human, see Rows()
  std::string unit;
  std::string better;
  std::string source;
  std::string spread;  // MdAPE of the sampled metric, "1.2%"; empty otherwise
  std::string note;    // "unstable", "skipped: ..."
};

enum class ValueStyle { kExact, kHuman };

std::vector<Row> Rows(const Result& result, ValueStyle style);
std::string FormatValue(const MetricValue& value, ValueStyle style);

// The column names of the long-form table, in order, and a row's cells in the same order.
const std::vector<std::string>& ColumnNames();
std::vector<std::string> Cells(const Row& row);

}  // namespace sysbench::report
