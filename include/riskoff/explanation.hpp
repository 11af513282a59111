// One evaluation's explanation as data: what was decided, because of what (down to the numbers),
// why not the actions ranked above it, the checklist, the drivers table, what is closest to
// flipping, and which inputs were missing or stale. Built by the engine's explain stage, rendered
// as text, markdown or JSON (riskoff::render in riskoff.hpp). Plain values: copy them freely,
// read them from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "riskoff/values.hpp"

namespace riskoff {

// A number as shown: its value (or range), unit and display text ("+18.0bp", "2-3").
struct Figure {
  bool known = false;
  double value = 0;
  double upper = 0;
  Unit unit = Unit::kNumber;
  std::string text;  // "unknown" when not known
};

// What a step of a because / why-not chain is. JSON and the renderers spell it with
// reason_kind_name: "comparison", "value", "condition", "signal", the group keyword ("driver",
// "check", "regime", "group"), and for combinations "not", "all", "any", "at_least".
enum class ReasonKind : std::uint8_t {
  kComparison, kValue, kCondition, kSignal, kDriver, kCheck, kRegime, kGroup, kNot, kAll, kAny, kAtLeast,
};
RISKOFF_API const char* reason_kind_name(ReasonKind kind);

// One step of a because / why-not chain.
struct Reason {
  ReasonKind kind = ReasonKind::kCondition;
  std::string subject;  // symbol name, or the condition's source text
  std::string title;    // signal or group title
  std::string text;     // rendered `because` template, or "us10y_5d +18.0bp > yield_jump 15.0bp"
  Truth truth = Truth::kUnknown;
  std::optional<Figure> value;      // comparisons: left side
  std::optional<Figure> threshold;  // comparisons: right side
  std::optional<Figure> margin;     // comparisons: how far past (+) or short of (-) the threshold
  std::vector<Reason> children;
};

struct ClauseExplanation {
  std::string action;
  std::string condition;  // source text; "otherwise" for the default
  Truth truth = Truth::kUnknown;
  std::string regime;
  std::string advice;
  std::vector<Reason> reasons;
};

struct GroupRow {
  std::string name;
  std::string title;
  Truth status = Truth::kUnknown;
  std::int64_t step = 0;     // checklist order
  std::int64_t minutes = 0;  // checklist time budget
  std::string because;       // rendered template, if any
  std::vector<std::pair<std::string, std::string>> meta;  // drivers: equities, crypto, watch ...
  std::vector<std::string> members_on;                    // signals/groups that are true
  std::vector<std::string> members_unknown;
  std::vector<std::string> why;  // the comparisons that put it on: "dxy_move 1.64% > dollar_jump 1.00%"
};

// A comparison near its threshold, and what flipping it would do to the decision.
struct Flip {
  std::string subject;  // signal/group/clause the comparison belongs to
  std::string text;     // "us10y_5d +12.0bp > yield_jump 15.0bp, margin -3.0bp"
  double distance = 0;  // for ranking: |margin| / the larger of |value| and |threshold|
  Truth truth = Truth::kUnknown;
  std::string gap;         // in the quantity's own unit: "3.0bp below", "0.47 pp above", "0.0028 above"
  std::string share;       // "20% of the threshold" where that means something (a level, threshold > 0)
  std::string changes_to;  // the action if this comparison alone flipped; empty when it would not
  std::string blocker;     // when it would not alone: the condition also needed, as written
};

// How an input stood at the decision; input_status_name spells it "ok", "missing", "stale".
enum class InputStatus : std::uint8_t { kOk, kMissing, kStale };
RISKOFF_API const char* input_status_name(InputStatus status);

struct InputRow {
  std::string name;
  std::string source;
  InputStatus status = InputStatus::kOk;
  std::string last_time;
  double age_hours = 0;
  std::string last_value;
  std::vector<std::string> touched;  // signals/groups whose value became unknown through it
};

struct Explanation {
  std::string ruleset;
  std::string version;
  std::string content_hash;  // sha256 of the canonical text of the ruleset and its imports
  std::string profile;
  std::string profile_title;
  std::string as_of;
  std::string action;
  std::string regime;  // of the clause that fired, or the first active regime group
  std::string advice;
  bool depends_on_unknown = false;
  ClauseExplanation because;
  std::vector<ClauseExplanation> why_not;  // clauses ranked above the chosen one
  std::vector<GroupRow> checklist;
  std::vector<GroupRow> drivers;
  std::vector<GroupRow> regimes;
  std::vector<Flip> closest;
  std::vector<InputRow> inputs;
  // Inputs of the snapshot the ruleset does not declare: ignored, listed once ("not used").
  std::vector<std::string> unused_inputs;
};

// A decision in a few words (Decision::summary()), made without building its explanation: what a
// client that acts on the answer reads. Plain values.
struct DecisionSummary {
  std::string action;
  std::string profile;
  std::string as_of;
  std::string regime;  // as Explanation::regime
  std::string advice;
  bool depends_on_unknown = false;
  std::string headline;  // the text explanation's first line: "HEDGE  ·  profile swing  ·  as of 2026-02-04T21:00:00Z"
  std::string because;   // its BECAUSE line, unwrapped: "hedge when <condition>", "wait otherwise (no decision above it holds)"
};

}  // namespace riskoff
