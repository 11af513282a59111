// The one-line because of a change of decision, read off the explanation at the step where it
// changed (explain::explain()): short enough for a list of changes, deep enough to reach the numbers.
#include <algorithm>
#include <cstdint>

#include "backtest/because.hpp"

namespace riskoff::backtest {
namespace {

using explain::Reason;
using explain::Truth;
using explain::ReasonKind;

constexpr std::size_t kMaxLeaves = 2;  // deepest signals quoted under a clause's first member
constexpr std::size_t kMaxParts = 2;   // members of the clause's `and` quoted (the second with one signal)

// A because-line with its figures, or with names only (the signature changes are grouped by).
enum class Words : std::uint8_t { kFigures, kNames };

// The deepest signals or groups along the branches with the wanted truth: the facts a person
// checks first. Stops at kMaxLeaves.
void collect_leaves(const Reason& reason, Truth wanted, std::vector<const Reason*>& out) {
  if (out.size() >= kMaxLeaves || reason.truth != wanted) return;
  const std::size_t before = out.size();
  for (const auto& child : reason.children) collect_leaves(child, wanted, out);
  const bool named = reason.kind == ReasonKind::kSignal || reason.kind == ReasonKind::kGroup || reason.kind == ReasonKind::kDriver ||
                     reason.kind == ReasonKind::kCheck || reason.kind == ReasonKind::kRegime;
  if (out.size() == before && named && out.size() < kMaxLeaves) out.push_back(&reason);
}

// "`signal`: its because-template"; when the template quotes no number, the first comparison
// under it does, so every line reaches the figures. An unknown signal is said to be unknown:
// its title describes it as if it held. With Words::kNames, the name alone.
std::string leaf_text(const Reason& leaf, Words words) {
  if (words == Words::kNames) return "`" + leaf.subject + "`";
  if (leaf.truth == Truth::kUnknown) return "`" + leaf.subject + "` unknown";
  std::string out = "`" + leaf.subject + "`" + (leaf.text.empty() ? (leaf.title.empty() ? "" : ": " + leaf.title) : ": " + leaf.text);
  if (std::any_of(leaf.text.begin(), leaf.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; })) return out;
  std::vector<const Reason*> stack = {&leaf};
  while (!stack.empty()) {
    const Reason* reason = stack.back();
    stack.pop_back();
    if (reason != &leaf && reason->kind == ReasonKind::kComparison && reason->truth == leaf.truth) return out + " (" + reason->text + ")";
    for (auto it = reason->children.rbegin(); it != reason->children.rend(); ++it) stack.push_back(&*it);
  }
  return out;
}

// One line for a chain: the first reason with the wanted truth, then its deepest signals. An
// `and` (all) lists its members with that truth, so a HEDGE on two signals names both.
std::string chain_line(const std::vector<Reason>& reasons, Truth wanted, Words words) {
  std::string out;
  std::size_t parts = 0;
  for (const auto& reason : reasons) {
    if (parts == kMaxParts) break;
    if (reason.truth != wanted) continue;
    // An any/condition node names nothing: its first child with the wanted truth says more.
    const Reason* head = &reason;
    while ((head->kind == ReasonKind::kAny || head->kind == ReasonKind::kCondition) && !head->children.empty()) {
      const auto it = std::find_if(head->children.begin(), head->children.end(),
                                   [&](const Reason& child) { return child.truth == wanted; });
      if (it == head->children.end()) break;
      head = &*it;
    }
    std::vector<const Reason*> leaves;
    for (const auto& child : head->children) collect_leaves(child, wanted, leaves);
    // A because-line stays short enough to read: two signals under the first member, one under the second.
    leaves.resize(std::min<std::size_t>(leaves.size(), parts == 0 ? kMaxLeaves : 1));
    // With names only, a comparison is its source ("count(drivers) >= 2") and its signals follow a colon.
    const bool names = words == Words::kNames;
    std::string line = head->kind == ReasonKind::kAll && !leaves.empty() ? ""
                       : head->kind == ReasonKind::kComparison           ? (names ? head->subject : head->text)
                       : head->kind == ReasonKind::kAny && wanted == Truth::kFalse ? "none of `" + head->subject + "` holds"
                                                              : leaf_text(*head, words);
    for (std::size_t l = 0; l < leaves.size(); ++l) {
      const char* joint = line.empty() ? "" : names ? (l == 0 && head->kind == ReasonKind::kComparison ? ": " : ", ") : "; ";
      line += joint + leaf_text(*leaves[l], words);
    }
    // Top-level reasons are the members of the clause's `and`: each one is part of the answer.
    out += (out.empty() ? "" : "; ") + line;
    ++parts;
  }
  return out;
}

std::string because_line(const explain::Explanation& now, const std::string& from, Words words) {
  // A higher-ranked action that stopped holding: its first failing condition.
  for (const auto& clause : now.why_not) {
    if (clause.action == from) {
      const Truth wanted = clause.truth == Truth::kUnknown ? Truth::kUnknown : Truth::kFalse;
      const std::string line = chain_line(clause.reasons, wanted, words);
      // Unknown is not false: the clause could not be decided, which is not the same story.
      if (wanted == Truth::kUnknown) return "`" + from + "` is undecided (unknown data)" + (line.empty() ? "" : ": " + line);
      return "`" + from + "` no longer holds" + (line.empty() ? "" : ": " + line);
    }
  }
  if (now.because.condition == "otherwise") return "no clause above `otherwise` holds";
  const std::string line = chain_line(now.because.reasons, Truth::kTrue, words);
  return line.empty() ? now.because.condition : line;
}

}  // namespace

std::string change_because(const explain::Explanation& now, const std::string& from) {
  return because_line(now, from, Words::kFigures);
}

std::string change_signature(const explain::Explanation& now, const std::string& from) {
  return because_line(now, from, Words::kNames);
}

}  // namespace riskoff::backtest
