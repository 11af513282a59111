// What a hover adds at the configured snapshot: a condition's truth and the comparisons that
// decided it with their margins, a number's value, an input's last observation. Everything is
// read from the decision's explanation data (explain_value, Explanation::inputs): the same
// words and figures `riskoff eval --verbose` prints, never a second evaluation.
#include <algorithm>

#include "lsp/snapshot_values.hpp"

namespace riskoff::lsp {

namespace {

constexpr int kDeepest = 3;         // the symbol, its parts, their parts
constexpr std::size_t kMostLines = 12;  // a hover is a glance, not the verbose explanation

const char* truth_word(Truth truth) {
  return truth == Truth::kTrue ? "true" : truth == Truth::kFalse ? "false" : "unknown";
}

// One step as a line: a comparison with its figures and margin, a named condition with its
// truth, a number with its value.
std::string step_line(const Reason& reason) {
  switch (reason.kind) {
    case ReasonKind::kComparison: return "`" + reason.text + "`: " + truth_word(reason.truth);
    case ReasonKind::kValue:
      return "`" + reason.subject + "` = " + (reason.value ? reason.value->text : std::string("unknown"));
    case ReasonKind::kNot:
    case ReasonKind::kAll:
    case ReasonKind::kAny:
    case ReasonKind::kAtLeast:
      return std::string(reason_kind_name(reason.kind)) + (reason.subject.empty() ? "" : " `" + reason.subject + "`") +
             ": " + truth_word(reason.truth);
    default: break;
  }
  std::string line = "`" + reason.subject + "`";
  if (reason.kind != ReasonKind::kCondition) line += " (" + std::string(reason_kind_name(reason.kind)) + ")";
  return line + ": " + truth_word(reason.truth);
}

void add_steps(const std::vector<Reason>& steps, int depth, std::vector<std::string>& lines) {
  for (const auto& step : steps) {
    if (lines.size() >= kMostLines) return;
    lines.push_back(std::string(static_cast<std::size_t>(2 * depth), ' ') + "- " + step_line(step));
    // A comparison of a count lists the members that are on: the count says enough here.
    if (depth + 1 < kDeepest && step.kind != ReasonKind::kComparison) add_steps(step.children, depth + 1, lines);
  }
}

std::string input_text(const InputRow& row) {
  if (row.last_value.empty()) return std::string("no observation (") + input_status_name(row.status) + ")";
  std::string text = row.last_value + " at " + row.last_time;
  if (row.status != InputStatus::kOk) text += std::string(" (") + input_status_name(row.status) + ")";
  return text;
}

}  // namespace

std::string snapshot_hover(SnapshotValues& values, const Document& document, const std::string& name) {
  if (!values.configured(document)) return {};
  const SnapshotDecision& decided = values.decide(document);
  std::string head = "\n---\n\n**on `" + decided.snapshot + "`**";
  if (!decided.decision) return head + ": no value (" + decided.error + ")\n";
  const Decision& decision = *decided.decision;
  head += " (" + decision.as_of() + ", profile `" + decision.profile() + "`)";
  const auto& inputs = decision.explanation().inputs;
  const auto input = std::find_if(inputs.begin(), inputs.end(), [&](const InputRow& row) { return row.name == name; });
  if (input != inputs.end()) return head + ": " + input_text(*input) + "\n";
  const std::optional<Reason> reason = explain_value(decision, name);
  if (!reason) return {};
  if (reason->kind == ReasonKind::kValue) return head + ": " + (reason->value ? reason->value->text : "unknown") + "\n";
  std::string text = head + ": **" + truth_word(reason->truth) + "**\n";
  if (!reason->text.empty() && reason->kind != ReasonKind::kCondition) text += "\n" + reason->text + "\n";
  std::vector<std::string> lines;
  add_steps(reason->children, 0, lines);
  if (!lines.empty()) text += "\n";
  for (const auto& line : lines) text += line + "\n";
  return text;
}

}  // namespace riskoff::lsp
