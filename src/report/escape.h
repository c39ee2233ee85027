// One escaping per text format, shared by the reporters and by compare's writers.
#pragma once

#include <string>

namespace sysbench::report {

// TSV cannot quote: tabs and line breaks inside a field become spaces.
std::string TsvField(std::string text);
// RFC 4180: a field holding a comma, quote or line break is quoted, its quotes doubled.
std::string CsvField(const std::string& text);
// TsvField for '\t', CsvField otherwise.
std::string DelimitedField(std::string text, char separator);
// A markdown table cell: '|' escaped, line breaks become spaces.
std::string MarkdownCell(const std::string& text);
// Text and attribute values of html and svg: & < > " as entities.
std::string XmlEscape(const std::string& text);

}  // namespace sysbench::report
