#include "audit/trace.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "support/json_writer.hpp"

namespace riskoff::audit {

std::string trace_number(double value) {
  if (std::isinf(value)) return value > 0 ? "\"inf\"" : "\"-inf\"";
  // One zero: -0 and 0 compare equal and must print the same. NaN is null.
  return support::json_number(value == 0 ? 0.0 : value);
}

namespace {

const char* truth_text(engine::Truth truth) {
  return truth == engine::Truth::kTrue ? "true" : truth == engine::Truth::kFalse ? "false" : "unknown";
}

std::string symbol_kind(const engine::Symbol& symbol) {
  if (symbol.kind == engine::SymbolKind::kLet) return "let";
  if (symbol.kind == engine::SymbolKind::kSignal) return "signal";
  return std::string(dsl::group_keyword(symbol.group_kind));
}

}  // namespace

std::string serialize_trace(const engine::Plan& plan, const engine::Evaluation& evaluation, std::string_view action) {
  support::JsonWriter json(support::JsonLayout::kCompact);
  auto number = [&json](double value) { json.raw(trace_number(value)); };
  json.begin_object();
  json.field("format", kTraceFormat);
  json.field("profile", plan.profiles()[evaluation.profile].name);
  json.field("action", action);
  json.field_integer("clause", static_cast<std::int64_t>(evaluation.chosen));
  json.key("unknown_before").begin_array();
  for (const auto clause : evaluation.unknown_before) json.integer(static_cast<std::int64_t>(clause));
  json.end_array();
  json.key("params").begin_array();
  for (std::size_t k = 0; k < plan.params().size(); ++k) {
    json.begin_array().string(plan.params()[k].name);
    number(k < evaluation.params.size() ? evaluation.params[k] : std::nan(""));
    json.end_array();
  }
  json.end_array();
  // The names a person asks about: lets, signals and groups, each with its node.
  json.key("symbols").begin_array();
  const auto& symbols = plan.ruleset().symbols;
  for (std::size_t k = 0; k < symbols.size(); ++k) {
    const std::int64_t node = plan.symbol_nodes()[k];
    if (node < 0) continue;
    json.begin_array().string(symbols[k].name).string(symbol_kind(symbols[k])).integer(node).end_array();
  }
  json.end_array();
  json.key("nodes").begin_array();
  const auto& nodes = plan.nodes();
  for (std::size_t k = 0; k < evaluation.values.size(); ++k) {
    const engine::NodeValue& value = evaluation.values[k];
    if (k < nodes.size() && nodes[k].is_condition) {
      json.string(truth_text(value.truth));
    } else if (value.upper == value.number || (std::isnan(value.upper) && std::isnan(value.number))) {
      number(value.number);
    } else {
      json.begin_array();
      number(value.number);
      number(value.upper);
      json.end_array();
    }
  }
  json.end_array();
  json.end_object();
  return json.take();
}

namespace {

std::string value_text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "unknown";
  if (value.is_array() && value.size() == 2) return value_text(value[0]) + ".." + value_text(value[1]);
  if (value.is_number()) return trace_number(value.get<double>());
  return value.dump();
}

}  // namespace

ParsedTrace parse_trace(std::string_view text) {
  ParsedTrace out;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  // A stored trace is read back from a file anyone may edit: a `format` of another JSON type is
  // "not a trace", never nlohmann's type_error escaping to the caller.
  const auto format = json.is_object() ? json.find("format") : json.end();
  if (json.is_discarded() || !json.is_object() || format == json.end() || !format->is_string() ||
      format->get<std::string>() != kTraceFormat) {
    out.error = "not a riskoff.trace/1 document";
    return out;
  }
  try {
    out.profile = json.at("profile").get<std::string>();
    out.action = json.at("action").get<std::string>();
    for (const auto& param : json.at("params")) {
      out.params.emplace_back(param.at(0).get<std::string>(), value_text(param.at(1)));
    }
    const auto& nodes = json.at("nodes");
    for (const auto& symbol : json.at("symbols")) {
      const auto node = symbol.at(2).get<std::size_t>();
      out.entries.push_back({symbol.at(0).get<std::string>(), symbol.at(1).get<std::string>(), value_text(nodes.at(node))});
    }
  } catch (const nlohmann::json::exception& e) {
    out.error = std::string("malformed trace: ") + e.what();
  }
  return out;
}

std::vector<std::string> compare_traces(std::string_view expected, std::string_view actual, std::size_t limit) {
  std::vector<std::string> lines;
  if (expected == actual) return lines;
  const ParsedTrace before = parse_trace(expected);
  const ParsedTrace after = parse_trace(actual);
  if (!before.error.empty() || !after.error.empty()) {
    lines.push_back("stored trace: " + (before.error.empty() ? std::string("ok") : before.error) +
                    "; replayed trace: " + (after.error.empty() ? std::string("ok") : after.error));
    return lines;
  }
  auto add = [&](std::string line) {
    if (lines.size() < limit) lines.push_back(std::move(line));
  };
  if (before.action != after.action) add("action: " + before.action + " -> " + after.action);
  if (before.profile != after.profile) add("profile: " + before.profile + " -> " + after.profile);
  for (std::size_t k = 0; k < std::min(before.params.size(), after.params.size()); ++k) {
    if (before.params[k] != after.params[k]) {
      add("param " + before.params[k].first + ": " + before.params[k].second + " -> " + after.params[k].second);
    }
  }
  if (before.entries.size() != after.entries.size()) {
    add("named values: " + std::to_string(before.entries.size()) + " -> " + std::to_string(after.entries.size()));
  }
  for (std::size_t k = 0; k < std::min(before.entries.size(), after.entries.size()); ++k) {
    const auto& a = before.entries[k];
    const auto& b = after.entries[k];
    if (a.name != b.name) {
      add("value " + std::to_string(k) + ": " + a.name + " -> " + b.name);
    } else if (a.value != b.value) {
      add(a.kind + " " + a.name + ": " + a.value + " -> " + b.value);
    }
  }
  // Byte differences the named values do not show (an intermediate node, the clause index).
  if (lines.empty()) {
    std::size_t at = 0;
    while (at < expected.size() && at < actual.size() && expected[at] == actual[at]) ++at;
    add("traces differ from byte " + std::to_string(at) + ": stored `" + std::string(expected.substr(at, 40)) +
        "`, rechecked `" + std::string(actual.substr(at, 40)) + "`");
  }
  return lines;
}

}  // namespace riskoff::audit
