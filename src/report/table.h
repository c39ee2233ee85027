// One long-form table model shared by the tabular formats: one row per result x metric, so the
// columns never depend on which metrics a command has.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "report/escape.h"
#include "sysbench/result.h"

namespace sysbench::report {

struct Row {
  std::string command;
  std::string case_id;
  std::string params;  // "dtype=f32 isa=avx512", and "run=2" in a document of several runs
  std::string metric;
  std::string value;  // exact (shortest round-trip) or human, see Rows()
  std::string unit;
  std::string better;
  std::string source;
  std::string spread;  // MdAPE of the sampled metric, "1.2%"; empty otherwise
  std::string note;    // "unstable", "contended", "skipped: ..."
};

enum class ValueStyle { kExact, kHuman };

std::vector<Row> Rows(const Result& result, ValueStyle style);
std::string FormatValue(const MetricValue& value, ValueStyle style);

// The column names of the long-form table, in order, and a row's cells in the same order.
const std::vector<std::string>& ColumnNames();
std::vector<std::string> Cells(const Row& row);

// One row of cells as tsv or csv (separator '\t' or ','), escaped by escape.h.
void WriteDelimitedLine(const std::vector<std::string>& cells, char separator, std::ostream& out);
// Columns padded to their widest cell (right-aligned where `right[i]`), trailing blanks trimmed.
void WriteAlignedTable(const std::vector<std::vector<std::string>>& lines,
                       const std::vector<bool>& right, std::ostream& out);
// A markdown table: header, alignment row (right-aligned where `right[i]`), escaped cells.
void WriteMarkdownTable(const std::vector<std::string>& header, const std::vector<bool>& right,
                        const std::vector<std::vector<std::string>>& rows, std::ostream& out);

}  // namespace sysbench::report
