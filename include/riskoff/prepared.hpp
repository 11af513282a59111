// Row-at-a-time evaluation for embedders: a ruleset's inputs resolved to slots once, then values
// set by slot and the rules evaluated again and again on one reused evaluation state.
//
// decide(ruleset, snapshot) finds every input by name, checks and copies the snapshot, and
// makes a fresh Decision each call: right for one decision, costly for a stream of rows.
// PreparedInputs does that work once (the profile, the overrides, the input slots); after that
// set(), append() and evaluate() do no string work and, once each slot has held as many
// observations as it will, no allocation. Errors are the name path's (the same messages, the
// same ErrorKind), built only when they happen.
//
//   auto prepared = riskoff::PreparedInputs::prepare(ruleset, as_of, {.profile = "swing"});
//   const riskoff::InputSlot vix = *prepared->slot("vix");     // once
//   for (const Row& row : rows) {                               // per row
//     prepared->set(vix, row.time, row.vix);
//     auto row_decision = prepared->evaluate();
//     if (row_decision) use(row_decision->action);
//   }
//
// Threads. A PreparedInputs is one caller's working state: use it from one thread at a time
// (one per thread for parallel streams; they may share the Ruleset). Decisions it makes are
// ordinary immutable Decisions.
//
// Observations. A slot holds the observations of one input, oldest first, each known at its
// own time (no separate known-at times: use Snapshot for session-dated data). Units are the
// ruleset's own; a slot that holds nothing is a missing input.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>

#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff {

// One declared input of a ruleset, as PreparedInputs::slot() found it: its index among
// Ruleset::inputs(). A plain value; a slot is only meaningful for PreparedInputs of the ruleset
// it came from (an index past the ruleset's inputs is an error, never undefined behaviour).
struct InputSlot {
  std::uint32_t index = 0;
};

// What evaluate() gives per row: the action and whether an unknown condition was skipped. The
// action's text belongs to the ruleset and stays valid as long as any handle to it lives.
struct RowDecision {
  std::string_view action;          // "hedge", "reduce", "wait", as the rule language spells them
  std::uint32_t clause = 0;         // the clause of the profile that fired, counted from 0
  bool depends_on_unknown = false;  // as Decision::depends_on_unknown()
};

// The outcome of an operation with no value: success, or an Error (riskoff/result.hpp).
using Status = Result<std::monostate>;

class RISKOFF_API PreparedInputs {
 public:
  // Resolves the profile and the overrides of `options` once, with the errors decide() gives
  // (ErrorKind::kUsage, kRuleset), and an as_of outside the years 0000-9999 (kSnapshot). Every
  // slot starts empty. `options.renderings` and `node_values` matter only to decide() below.
  static Result<PreparedInputs> prepare(const Ruleset& ruleset, std::int64_t as_of, const DecideOptions& options = {});

  PreparedInputs(PreparedInputs&& other) noexcept;
  PreparedInputs& operator=(PreparedInputs&& other) noexcept;
  ~PreparedInputs();

  // The slot of a declared input; a name the ruleset does not declare is ErrorKind::kUsage
  // (naming the closest declared input). The one call here that looks at names: do it once.
  Result<InputSlot> slot(std::string_view name) const;
  std::size_t slot_count() const;
  std::int64_t as_of() const;

  // The instant the next evaluation is as of. Refused (kSnapshot, nothing changed) outside the
  // years 0000-9999 or before an observation some slot holds (that would be look-ahead).
  Status set_as_of(std::int64_t as_of);
  // The slot holds exactly this one observation (what it held before is dropped): the form for
  // scalar inputs, and for a series whose rules read only its last value.
  Status set(InputSlot slot, std::int64_t time, double value);
  // One more observation at the end of the slot's series.
  Status append(InputSlot slot, std::int64_t time, double value);
  // set() and append() refuse, with Snapshot::add_series's messages (ErrorKind::kSnapshot), a
  // value that is not finite, a time after as_of or outside the years 0000-9999, a time not
  // after the slot's last one (append); an unknown slot is ErrorKind::kUsage. On error the slot
  // is unchanged.
  // The slot holds nothing (a missing input); keeps its memory for the next values.
  Status clear(InputSlot slot);

  // Evaluates the rules on what the slots hold now, reusing this object's evaluation state.
  // A required input whose slot is empty is ErrorKind::kSnapshot, as decide() reports it.
  // Throws only std::bad_alloc (the first calls size the state; later ones do not allocate).
  Result<RowDecision> evaluate();
  // The same evaluation as a full Decision, with the explanation and values when
  // `options.node_values` is kKeep: byte for byte what decide() gives for a Snapshot holding
  // the same observations. Allocates; the next set() copies the slots once (the Decision keeps
  // what it read).
  Result<Decision> decide();
  // What the slots hold as a Snapshot (inputs in slot order; empty slots left out).
  Snapshot snapshot() const;

  struct Impl;

 private:
  explicit PreparedInputs(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace riskoff
