// A decision's trace as canonical JSON (`riskoff.trace/1`): the profile, the clause that fired,
// the parameters as used and one value per plan node, with the name and kind of every node a
// person can ask about. Numbers are the shortest text that reads back exactly (the policy of
// support/json_writer.hpp), unknown as null, so the same evaluation always gives the same bytes
// and `audit recheck` can compare traces as strings.
#pragma once

#include <string>
#include <vector>

#include "engine/evaluate.hpp"

namespace riskoff::audit {

inline constexpr std::string_view kTraceFormat = "riskoff.trace/1";

std::string serialize_trace(const engine::Plan& plan, const engine::Evaluation& evaluation, std::string_view action);

// A number as the trace writes it: shortest round trip, one zero, `null` for NaN, "inf"/"-inf"
// as strings.
std::string trace_number(double value);

// One named value of a trace: a let's number, a signal's or group's truth.
struct TraceEntry {
  std::string name;
  std::string kind;   // let, signal, driver, check, regime, group
  std::string value;  // "true", "false", "unknown", or the number as written ("null": unknown)
};

struct ParsedTrace {
  std::string profile;
  std::string action;
  std::vector<std::pair<std::string, std::string>> params;  // name, value as written
  std::vector<TraceEntry> entries;                         // in plan order
  std::string error;                                       // not a riskoff trace
};

ParsedTrace parse_trace(std::string_view json);

// How two traces differ, in words, at most `limit` lines: the action, parameters and named
// values that differ ("signal rates_up: true -> false"), then node values by index. Empty when
// the traces are byte-identical.
std::vector<std::string> compare_traces(std::string_view expected, std::string_view actual, std::size_t limit);

}  // namespace riskoff::audit
