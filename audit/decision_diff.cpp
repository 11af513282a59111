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

void line(std::string& out, const std::string& label, const FieldChange& field) {
  out += "  " + label + ": " + (field.changed() ? field.before + " -> " + field.after : field.before + " (same)") + "\n";
}

// "a -> b", "a (not in the second SIDE)" or "b (not in the first SIDE)".
std::string change_text(ChangeSign sign, const std::string& before, const std::string& after, const char* side) {
  switch (sign) {
    case ChangeSign::kChanged: return before + " -> " + after;
    case ChangeSign::kRemoved: return before + " (not in the second " + side + ")";
    case ChangeSign::kAdded: return after + " (not in the first " + side + ")";
  }
  return before;
}

std::string ruleset_label(const DecisionRecord& record) {
  return record.ruleset_name + " " + record.ruleset_version + " (" + record.ruleset_hash.substr(0, 12) + ")";
}

std::string overrides_label(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) text += (text.empty() ? "" : " ") + item;
  return text.empty() ? std::string("none") : text;
}

}  // namespace

RecordDiff diff_decisions(const AuditStore& store, const DecisionRecord& first, const DecisionRecord& second) {
  RecordDiff diff;
  diff.first = first.id;
  diff.second = second.id;
  diff.action = {first.action, second.action};
  diff.as_of = {first.as_of, second.as_of};
  diff.profile = {first.profile, second.profile};
  diff.ruleset = {ruleset_label(first), ruleset_label(second)};
  diff.overrides = {overrides_label(first.overrides), overrides_label(second.overrides)};

  const auto before = last_values(store, first);
  const auto after = last_values(store, second);
  for (const auto& [name, value] : before) {
    const auto it = after.find(name);
    if (it == after.end()) diff.inputs.push_back({ChangeSign::kRemoved, name, value, ""});
    else if (it->second != value) diff.inputs.push_back({ChangeSign::kChanged, name, value, it->second});
    else ++diff.inputs_unchanged;
  }
  for (const auto& [name, value] : after) {
    if (before.count(name) == 0) diff.inputs.push_back({ChangeSign::kAdded, name, "", value});
  }

  const ParsedTrace a = parse_trace(first.trace);
  const ParsedTrace b = parse_trace(second.trace);
  if (!a.error.empty() || !b.error.empty()) {
    throw AuditError(AuditError::Kind::kDamaged, store.path() + ": a stored trace is unreadable: " + a.error + b.error);
  }
  std::map<std::string, const TraceEntry*> later;
  for (const auto& entry : b.entries) later[entry.name] = &entry;
  for (const auto& entry : a.entries) {
    if (entry.kind == "let") continue;
    const auto it = later.find(entry.name);
    if (it == later.end()) diff.conditions.push_back({ChangeSign::kRemoved, entry.kind, entry.name, entry.value, ""});
    else if (it->second->value != entry.value) {
      diff.conditions.push_back({ChangeSign::kChanged, entry.kind, entry.name, entry.value, it->second->value});
    } else {
      ++diff.conditions_unchanged;
    }
  }
  std::map<std::string, bool> earlier;
  for (const auto& entry : a.entries) earlier[entry.name] = true;
  for (const auto& entry : b.entries) {
    if (entry.kind != "let" && earlier.count(entry.name) == 0) {
      diff.conditions.push_back({ChangeSign::kAdded, entry.kind, entry.name, "", entry.value});
    }
  }
  return diff;
}

std::string render_record_diff(const RecordDiff& diff) {
  std::string out = "decision " + std::to_string(diff.first) + " -> decision " + std::to_string(diff.second) + "\n";
  line(out, "action", diff.action);
  line(out, "as-of", diff.as_of);
  line(out, "profile", diff.profile);
  line(out, "ruleset", diff.ruleset);
  line(out, "overrides", diff.overrides);
  out += "\ninputs (" + std::to_string(diff.inputs_unchanged) + " unchanged)\n";
  if (diff.inputs.empty()) out += "  none changed\n";
  for (const auto& input : diff.inputs) {
    out += std::string("  ") + change_mark(input.sign) + " " + input.input + ": " + change_text(input.sign, input.before, input.after, "snapshot") + "\n";
  }
  out += "\nsignals and groups (" + std::to_string(diff.conditions_unchanged) + " unchanged)\n";
  if (diff.conditions.empty()) out += "  none changed\n";
  for (const auto& condition : diff.conditions) {
    out += std::string("  ") + change_mark(condition.sign) + " " + condition.kind + " " + condition.name + ": " +
           change_text(condition.sign, condition.before, condition.after, "ruleset") + "\n";
  }
  return out;
}

}  // namespace riskoff::audit

namespace riskoff {

// Here rather than in api/: the words above use it, and riskoff::audit links without api/.
const char* change_mark(ChangeSign sign) {
  switch (sign) {
    case ChangeSign::kChanged: return "~";
    case ChangeSign::kRemoved: return "-";
    case ChangeSign::kAdded: return "+";
  }
  return "~";
}

}  // namespace riskoff
