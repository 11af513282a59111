// What the public handles (include/riskoff/riskoff.hpp) hold. Shared by the C++ and the C API;
// never installed.
#pragma once

#include <array>
#include <atomic>
#include <cmath>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/evaluate.hpp"
#include "engine/plan.hpp"
#include "engine/ruleset_text.hpp"
#include "riskoff/diagnostic.hpp"
#include "riskoff/backtest.hpp"
#include "riskoff/history.hpp"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"
#include "riskoff/sources.hpp"
#include "support/slot_index.hpp"

namespace riskoff {

// The instants a snapshot can hold: those its JSON form can write and read back (years 0000 to
// 9999). Also keeps every difference of two times far from overflowing.
inline constexpr std::int64_t kFirstTime = -62167219200;  // 0000-01-01T00:00:00Z
inline constexpr std::int64_t kLastTime = 253402300799;   // 9999-12-31T23:59:59Z
inline bool representable(std::int64_t time) { return time >= kFirstTime && time <= kLastTime; }

struct Ruleset::Impl {
  std::shared_ptr<const engine::Plan> plan;
  std::string name;
  std::string version;
  std::string content_hash;  // closure.hash
  engine::RulesetText closure;  // the import closure's canonical text (what the audit store keeps)
  std::vector<InputInfo> inputs;
  std::vector<ParameterInfo> parameters;
  std::vector<std::string> profiles;
};

// What decide() and the backtest both resolve from a caller's options, the same way (api/decide.cpp):
// a profile by name (empty: the first) and `NAME=VALUE` overrides, every malformed one reported.
Result<std::uint32_t> resolve_profile(const Ruleset::Impl& ruleset, const std::string& name);
Result<std::vector<engine::ParamOverride>> resolve_overrides(const engine::Plan& plan,
                                                             const std::vector<std::string>& assignments);

struct Snapshot::Impl {
  Impl() = default;
  Impl(const Impl& other) : snapshot(other.snapshot) {}  // a fresh copy is not shared
  engine::Snapshot snapshot;
  // The inputs' names, for the duplicate check; may lag behind `snapshot.inputs` (rebuilt when
  // its size differs: add_input in api/snapshot.cpp).
  support::SlotIndex names;
  // Set once a second owner (a Snapshot copy, a Decision) has seen this data; a change then goes
  // to a private copy. A flag rather than use_count(): use_count is a relaxed read and would not
  // order the change after the reads of an owner just released on another thread.
  std::atomic<bool> shared{false};
};

struct Decision::Impl {
  std::shared_ptr<const Ruleset::Impl> ruleset;
  // The decision keeps the snapshot it read (shared, never changed: Snapshot copies on write),
  // so the bound pointers below stay valid and the explanation can be built later.
  std::shared_ptr<const Snapshot::Impl> snapshot;
  engine::BoundSnapshot bound;
  engine::Evaluation evaluation;
  std::int64_t as_of = 0;
  std::string action;
  std::string profile;
  std::vector<std::string> overrides;  // as given, in order (what an audit record keeps)
  std::vector<std::string> unused_inputs;  // in the snapshot, not declared by the ruleset: ignored
  bool keep_trace = true;
  // DecideOptions::renderings, made while deciding (indexed by Format); written before the
  // Decision is shared, read-only after.
  std::array<std::optional<std::string>, kFormatCount> rendered;
  // Built on first request; call_once makes concurrent first requests safe.
  mutable std::once_flag explained;
  mutable Explanation explanation;
};

// decide() once the profile and overrides are resolved and the as_of checked, on snapshot data
// the decision shares (marked shared: its owner copies before changing it). decide() and
// PreparedInputs::decide() both end here.
Result<Decision> decide_resolved(const Ruleset& ruleset, const std::shared_ptr<Snapshot::Impl>& snapshot,
                                 std::uint32_t profile, const std::vector<engine::ParamOverride>& overrides,
                                 const DecideOptions& options);

// A diagnostic as the public API reports it (code, place, message, help, rendering).
Problem problem_of(const Diagnostic& diagnostic, const SourceSet& sources);

// A Ruleset handle over a plan compiled elsewhere (a stored closure the audit store rebuilt).
Ruleset ruleset_from_plan(std::shared_ptr<const engine::Plan> plan);

// What is wrong with `data` as an input of a snapshot as of `as_of` (docs/snapshot.md's
// promises, but for duplicates, which need the snapshot), or empty.
std::string check_input(std::int64_t as_of, const engine::InputData& data);
std::string check_input_name(std::string_view name);
std::string as_of_message(std::int64_t as_of);

// One observation's fault, found without formatting anything (the happy path of every add and
// of PreparedInputs), and its message, built only when there is one. `previous_time`: the
// observation before it in the same input, or null.
enum class ObservationFault : std::uint8_t { kNone, kTimeOutOfRange, kNotFinite, kAfterAsOf, kNotAscending };
// Inline: PreparedInputs calls it once per value of every row.
inline ObservationFault observation_fault(std::int64_t as_of, const std::int64_t* previous_time, std::int64_t time,
                                          double value) {
  if (!representable(time)) return ObservationFault::kTimeOutOfRange;
  if (!std::isfinite(value)) return ObservationFault::kNotFinite;
  if (time > as_of) return ObservationFault::kAfterAsOf;
  if (previous_time != nullptr && time <= *previous_time) return ObservationFault::kNotAscending;
  return ObservationFault::kNone;
}
std::string observation_message(ObservationFault fault, std::string_view name, std::size_t index, std::int64_t time,
                                std::int64_t as_of);

// The library's door into the handles' private state (friend of each class).
struct ApiAccess {
  static Ruleset make_ruleset(std::shared_ptr<const Ruleset::Impl> impl) { return Ruleset(std::move(impl)); }
  static Decision make_decision(std::shared_ptr<const Decision::Impl> impl) { return Decision(std::move(impl)); }
  static const Ruleset::Impl& of(const Ruleset& ruleset) { return *ruleset.impl_; }
  static const std::shared_ptr<const Ruleset::Impl>& shared(const Ruleset& ruleset) { return ruleset.impl_; }
  static const std::shared_ptr<Snapshot::Impl>& of(const Snapshot& snapshot) { return snapshot.impl_; }
  static const Decision::Impl& of(const Decision& decision) { return *decision.impl_; }
  // The data and backtest handles (riskoff/sources.hpp, backtest.hpp; api/data_impl.hpp).
  static const Sources::Impl& of(const Sources& sources) { return *sources.impl_; }
  static const HistoryStore::Impl& of(const HistoryStore& store) { return *store.impl_; }
  static Backtest make_backtest(std::shared_ptr<const Backtest::Impl> impl) { return Backtest(std::move(impl)); }
  static const Backtest::Impl& of(const Backtest& backtest) { return *backtest.impl_; }
};

}  // namespace riskoff
