// The default text form: what a trader reads in ten seconds. The action (coloured by severity
// on a terminal) and regime; the true conditions that decided it, each chain of single steps on
// one line, only the true branches of an `any`, each signal or group spelled out once and named
// after that; why not each action ranked above, by its first failure; the one comparison that
// would change the decision; the checklist with the comparisons that put each row on; what was
// unknown. `--verbose` (render_text.cpp) keeps the full tree and every table.
#include <algorithm>
#include <set>
#include <string>

#include "explain/explanation.hpp"
#include "explain/text_layout.hpp"

namespace riskoff::explain {
namespace {

using namespace detail;  // NOLINT: the layout helpers of this folder

bool is_symbol(ReasonKind kind) { return !is_leaf(kind) && !is_combination(kind); }

// The children that decided: of a true `any` or `at_least` (or a count compared true) only the
// true ones; otherwise all that the reason tree kept.
std::vector<const Reason*> deciding(const Reason& reason) {
  std::vector<const Reason*> out;
  const bool only_true = reason.truth == Truth::kTrue &&
                         (reason.kind == ReasonKind::kAny || reason.kind == ReasonKind::kAtLeast ||
                          reason.kind == ReasonKind::kComparison || is_symbol(reason.kind));
  for (const auto& child : reason.children) {
    if (!only_true || child.truth == Truth::kTrue) out.push_back(&child);
  }
  return out;
}

std::string without_margin(std::string text) {
  if (const auto margin = text.find(", margin"); margin != std::string::npos) text.resize(margin);
  return text;
}

std::string name_of(const Reason& reason) {
  if (is_leaf(reason.kind)) return without_margin(reason.text.empty() ? reason.subject : reason.text);
  return reason.subject;
}

class Brief {
 public:
  explicit Brief(const Painter& painter) : painter_(painter) {}

  // One line per step that has more than one deciding child; a chain of single steps is one
  // line, "driver: signal: comparison".
  void tree(std::string& out, const std::vector<const Reason*>& list, std::size_t indent) {
    for (const Reason* reason : list) {
      std::vector<std::string> labels;
      std::vector<std::string> also;  // the other true branches of an `any`: one is enough to decide
      const Reason* step = reason;
      std::vector<const Reason*> children;
      while (true) {
        children.clear();
        if (is_symbol(step->kind)) {
          if (!shown_.insert(step->subject).second) {
            labels.push_back(step->subject + " (above)");
            break;
          }
          labels.push_back(step->subject);
        } else if (step->kind == ReasonKind::kNot) {
          // Cut at the depth limit, a bare "not" would hide what it negates: its source says it.
          labels.push_back(step->children.empty() && !step->subject.empty() ? step->subject : "not");
        } else if (is_leaf(step->kind)) {
          labels.push_back(without_margin(step->text.empty() ? step->subject : step->text));
        }
        children = deciding(*step);
        if (step->kind == ReasonKind::kAny && step->truth == Truth::kTrue && children.size() > 1 && also.empty()) {
          for (std::size_t index = 1; index < children.size(); ++index) also.push_back(name_of(*children[index]));
          children.resize(1);
        }
        if (children.size() != 1) break;
        step = children.front();
      }
      if (children.empty() && is_combination(step->kind) && step->kind != ReasonKind::kNot) labels.push_back(step->subject);
      if (children.size() > 1 && is_combination(step->kind)) {
        labels.push_back(step->kind == ReasonKind::kAll ? "all of" : step->kind == ReasonKind::kAny ? "any of" : step->subject);
      }
      std::string line = join(labels, ": ");
      if (!also.empty()) line += "; also " + join(also, ", ");
      out += wrap(std::string(indent, ' ') + painter_.mark(reason->truth) + " ", line, indent + 8);
      tree(out, children, indent + 4);
    }
  }

 private:
  const Painter& painter_;
  std::set<std::string> shown_;
};

std::vector<const Reason*> pointers(const std::vector<Reason>& reasons) {
  std::vector<const Reason*> out;
  for (const auto& reason : reasons) out.push_back(&reason);
  return out;
}

void header(const Painter& painter, const Explanation& e, std::string& out) {
  out += headline(painter, e.action, e.profile, e.as_of) + "\n";
  if (e.depends_on_unknown) {
    out += wrap(painter.paint("depends on unknown data: ", "33"), "a higher-ranked decision could not be ruled out (see WHY NOT)", 4);
  }
  if (!e.regime.empty()) out += "regime: " + e.regime + "\n";
  if (!e.advice.empty()) out += wrap("advice: ", e.advice, 8);
  out += ruleset_lines(e, "ok");
}

void checklist(const Painter& painter, const Explanation& e, std::string& out) {
  if (e.checklist.empty()) return;
  std::size_t on = 0;
  for (const auto& row : e.checklist) on += row.status == Truth::kTrue ? 1 : 0;
  out += "\n" + painter.paint("CHECKLIST", "1") + "  " + std::to_string(on) + " of " + std::to_string(e.checklist.size()) + " risk-off\n";
  for (const auto& row : e.checklist) {
    const std::string head = "  " + pad(std::to_string(row.step) + ". " + row.title, 30) + pad(status_word(row.status, "RISK-OFF", "clear"), 10);
    constexpr std::size_t kMostWhy = 1;  // one line a row: the rest is in --verbose
    std::vector<std::string> shown(row.why.begin(), row.why.begin() + static_cast<std::ptrdiff_t>(std::min(row.why.size(), kMostWhy)));
    std::string why = join(shown, "; ");
    if (row.why.size() > kMostWhy) why += "; and " + std::to_string(row.why.size() - kMostWhy) + " more";
    if (why.empty() && row.status == Truth::kTrue) why = join(row.members_on, ", ");
    if (!row.members_unknown.empty()) why += (why.empty() ? "" : "; ") + ("unknown: " + join(row.members_unknown, ", "));
    std::string line = wrap(head, why, 42);
    while (line.size() > 1 && line[line.size() - 2] == ' ') line.erase(line.size() - 2, 1);
    out += line;
  }
}

}  // namespace

std::string render_text(const Explanation& e, Colour colour) {
  const Painter painter(colour);
  Brief brief(painter);
  std::string out;
  header(painter, e, out);

  out += "\n" + wrap(painter.paint("BECAUSE", "1") + "  ", e.because.action + " " + because_clause(e.because.condition), 9);
  brief.tree(out, pointers(e.because.reasons), 2);

  if (!e.why_not.empty()) {
    out += "\n" + painter.paint("WHY NOT", "1") + "\n";
    for (const auto& clause : e.why_not) {
      out += wrap("  " + painter.mark(clause.truth) + " ", clause.action + " when " + clause.condition, 8);
      brief.tree(out, pointers(clause.reasons), 6);
    }
  }

  out += "\n" + painter.paint("WOULD CHANGE IT", "1") + "\n";
  // The closest that changes the decision alone, else the closest that would with one more.
  auto first = std::find_if(e.closest.begin(), e.closest.end(), [](const Flip& flip) { return !flip.changes_to.empty(); });
  if (first == e.closest.end()) first = e.closest.begin();
  if (first == e.closest.end()) {
    out += "  no single comparison: every change of decision needs two or more\n";
  } else {
    out += wrap("  " + painter.mark(first->truth) + " " + first->subject + ": ",
                without_margin(first->text) + " — " + flip_consequence(*first), 8);
  }

  checklist(painter, e, out);

  if (!e.drivers.empty()) {
    std::vector<std::string> on;
    for (const auto& row : e.drivers) {
      if (row.status == Truth::kTrue) on.push_back(row.title);
    }
    out += "\n" + wrap(painter.paint("DRIVERS ON", "1") + "  ", std::to_string(on.size()) + " of " + std::to_string(e.drivers.size()) +
                                                                   (on.empty() ? "" : ": " + join(on, ", ")), 4);
  }

  if (has_bad_inputs(e)) {
    out += "\n" + painter.paint("UNKNOWN", "1") + "\n";
    for (const auto& input : e.inputs) {
      if (input.status == InputStatus::kOk) continue;
      out += wrap("  " + input.name + ": " + input_status_name(input.status) + "; touches: ",
                  input.touched.empty() ? "nothing decisive" : join(input.touched, ", "), 6);
    }
  }
  return out;
}

namespace {

// The condition that decided, or for an `otherwise` the first failure of the clause above it.
std::string key_because(const Explanation& e) {
  if (e.because.condition != "otherwise") return "when " + e.because.condition;
  if (e.why_not.empty() || e.why_not.front().reasons.empty()) return "otherwise";
  const Reason* step = &e.why_not.front().reasons.front();
  while (!step->children.empty() && !is_leaf(step->kind)) step = &step->children.front();
  return "otherwise: not " + e.why_not.front().action + ", " + without_margin(step->text.empty() ? step->subject : step->text) +
         (step->truth == Truth::kUnknown ? " is unknown" : " is false");
}

bool same_checklist(const Explanation& a, const Explanation& b) {
  if (a.checklist.size() != b.checklist.size()) return false;
  for (std::size_t index = 0; index < a.checklist.size(); ++index) {
    if (a.checklist[index].status != b.checklist[index].status || a.checklist[index].why != b.checklist[index].why) return false;
  }
  return true;
}

}  // namespace

std::string render_profiles_text(const std::vector<Explanation>& explanations, Colour colour) {
  const Painter painter(colour);
  std::string out;
  if (explanations.empty()) return out;
  const Explanation& first = explanations.front();
  out += "as of " + first.as_of + "  ·  ruleset " + first.ruleset + " " + first.version + " (sha256 " +
         first.content_hash.substr(0, 12) + ")\n\n";
  std::size_t name_width = 8;
  for (const auto& e : explanations) name_width = std::max(name_width, e.profile.size() + 2);
  for (const auto& e : explanations) {
    const std::string word = e.action.empty() ? "NO DECISION" : upper(e.action);
    const std::string head = "  " + pad(e.profile, name_width) + painter.action(e.action) + std::string(word.size() < 8 ? 8 - word.size() : 1, ' ');
    out += wrap(head, (e.regime.empty() ? "" : e.regime + " · ") + key_because(e) + (e.depends_on_unknown ? " (depends on unknown data)" : ""),
                2 + name_width + 8);
  }
  checklist(painter, first, out);
  std::vector<std::string> differ;
  for (const auto& e : explanations) {
    if (!same_checklist(first, e)) differ.push_back(e.profile);
  }
  if (!differ.empty()) out += wrap("  (as seen by " + first.profile + "; differs for ", join(differ, ", ") + ": use --profile NAME)", 4);
  if (has_bad_inputs(first)) {
    out += "\n" + painter.paint("UNKNOWN", "1") + "\n";
    for (const auto& input : first.inputs) {
      if (input.status != InputStatus::kOk) out += "  " + input.name + ": " + input_status_name(input.status) + "\n";
    }
  }
  out += "\nthe explanation of one profile: --profile NAME (add --verbose for the full tree)\n";
  return out;
}

}  // namespace riskoff::explain
