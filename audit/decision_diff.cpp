#include "audit/decision_diff.hpp"

#include <map>

#include "adapters/snapshot_json.hpp"
#include "audit/trace.hpp"
#include "explain/explanation.hpp"

namespace riskoff::audit {
namespace {

// Each input's last observation, as shown: "4.31% at 2026-02-04".
std::map<std::string, std::string> last_values(const AuditStore& store, const DecisionRecord& record) {
  const auto snapshot_text = store.snapshot_json(record.snapshot_hash);
  if (!snapshot_text) {
    throw AuditError(AuditError::Kind::kDamaged, store.path() + ": decision " + std::to_string(record.id) +
                                                     ": its snapshot is missing");
  }
  const auto read = adapters::read_snapshot_json(*snapshot_text, "snapshot " + record.snapshot_hash.substr(0, 12));
  if (!read.ok()) {
    throw AuditError(AuditError::Kind::kDamaged, store.path() + ": decision " + std::to_string(record.id) +
                                                     ": stored snapshot unreadable: " + read.errors.front());
  }
  std::map<std::string, std::string> out;
  for (const auto& input : read.snapshot.inputs) {
    if (input.values.empty()) {
      out[input.name] = "no observations";
      continue;
    }
    out[input.name] = explain::format_figure(input.values.back(), input.unit) + " at " +
                      engine::format_timestamp(input.times.back());
  }
  return out;
}

std::string line(const std::string& label, const std::string& a, const std::string& b) {
  return "  " + label + ": " + (a == b ? a + " (same)" : a + " -> " + b) + "\n";
}

}  // namespace

std::string render_decision_diff(const AuditStore& store, const DecisionRecord& first, const DecisionRecord& second) {
  std::string out = "decision " + std::to_string(first.id) + " -> decision " + std::to_string(second.id) + "\n";
  out += line("action", first.action, second.action);
  out += line("as-of", first.as_of, second.as_of);
  out += line("profile", first.profile, second.profile);
  out += line("ruleset", first.ruleset_name + " " + first.ruleset_version + " (" + first.ruleset_hash.substr(0, 12) + ")",
              second.ruleset_name + " " + second.ruleset_version + " (" + second.ruleset_hash.substr(0, 12) + ")");
  auto joined = [](const std::vector<std::string>& items) {
    std::string text;
    for (const auto& item : items) text += (text.empty() ? "" : " ") + item;
    return text.empty() ? std::string("none") : text;
  };
  out += line("overrides", joined(first.overrides), joined(second.overrides));

  const auto before = last_values(store, first);
  const auto after = last_values(store, second);
  std::string inputs;
  std::size_t same = 0;
  for (const auto& [name, value] : before) {
    const auto it = after.find(name);
    if (it == after.end()) {
      inputs += "  - " + name + ": " + value + " (not in the second snapshot)\n";
    } else if (it->second != value) {
      inputs += "  ~ " + name + ": " + value + " -> " + it->second + "\n";
    } else {
      ++same;
    }
  }
  for (const auto& [name, value] : after) {
    if (before.count(name) == 0) inputs += "  + " + name + ": " + value + " (not in the first snapshot)\n";
  }
  out += "\ninputs (" + std::to_string(same) + " unchanged)\n" + (inputs.empty() ? "  none changed\n" : inputs);

  const ParsedTrace a = parse_trace(first.trace);
  const ParsedTrace b = parse_trace(second.trace);
  if (!a.error.empty() || !b.error.empty()) {
    throw AuditError(AuditError::Kind::kDamaged, store.path() + ": a stored trace is unreadable: " + a.error + b.error);
  }
  std::map<std::string, const TraceEntry*> later;
  for (const auto& entry : b.entries) later[entry.name] = &entry;
  std::string signals;
  std::size_t unchanged = 0;
  for (const auto& entry : a.entries) {
    if (entry.kind == "let") continue;
    const auto it = later.find(entry.name);
    if (it == later.end()) {
      signals += "  - " + entry.kind + " " + entry.name + ": " + entry.value + " (not in the second ruleset)\n";
    } else if (it->second->value != entry.value) {
      signals += "  ~ " + entry.kind + " " + entry.name + ": " + entry.value + " -> " + it->second->value + "\n";
    } else {
      ++unchanged;
    }
  }
  std::map<std::string, bool> earlier;
  for (const auto& entry : a.entries) earlier[entry.name] = true;
  for (const auto& entry : b.entries) {
    if (entry.kind != "let" && earlier.count(entry.name) == 0) {
      signals += "  + " + entry.kind + " " + entry.name + ": " + entry.value + " (not in the first ruleset)\n";
    }
  }
  out += "\nsignals and groups (" + std::to_string(unchanged) + " unchanged)\n" + (signals.empty() ? "  none changed\n" : signals);
  return out;
}

}  // namespace riskoff::audit
