// The JSON shape of results and of the run's context (schema documented in docs/output-formats.md).
#pragma once

#include <nlohmann/json.hpp>

#include "sysbench/reporter.h"
#include "sysbench/result.h"

namespace sysbench::report {

inline constexpr int kSchemaVersion = 1;

using Json = nlohmann::ordered_json;

// Finite doubles are numbers; Inf and NaN, which JSON cannot hold, are the strings "inf", "-inf"
// and "nan".
Json ValueToJson(const MetricValue& value);
Json ResultToJson(const Result& result);
Json ContextToJson(const RunContextInfo& context);

}  // namespace sysbench::report
