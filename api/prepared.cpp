// PreparedInputs (include/riskoff/prepared.hpp): names resolved once, values set by slot, the
// rules evaluated on one reused state. The happy path formats nothing and, once each slot's
// vectors have their size, allocates nothing; every message is the name path's, built on error.
#include "riskoff/prepared.hpp"

#include <cmath>

#include "api/impl.hpp"
#include "engine/check.hpp"

namespace riskoff {

struct PreparedInputs::Impl {
  Ruleset ruleset;
  const engine::Plan* plan = nullptr;
  std::uint32_t profile = 0;
  std::vector<engine::ParamOverride> overrides;
  DecideOptions options;
  // One InputData per plan input slot, in slot order (name and unit from the ruleset); empty
  // values: missing. Shared with the Decisions decide() made; copied before a change then.
  std::shared_ptr<Snapshot::Impl> data;
  // Views into `data`, kept current slot by slot: set(), append() and clear() re-bind the slot
  // they change, so evaluate() re-binds nothing unless every view moved (`stale_bound`: the
  // slots were copied, or as_of changed every slot's age).
  engine::BoundSnapshot bound;
  bool stale_bound = true;
  std::size_t missing_required = 0;  // required slots holding nothing, as bound
  engine::Evaluation evaluation;    // keeps no node values: evaluate() gives only the decision

  // A private copy of the slots when a Decision still reads them (copy-on-write).
  engine::InputData& writable(std::uint32_t slot) {
    if (data->shared.load(std::memory_order_relaxed)) [[unlikely]] unshare();
    return data->snapshot.inputs[slot];
  }
  // Out of line: the copy is rare, and inlining it kept writable() itself from being inlined.
  [[gnu::noinline]] void unshare() {
    data = std::make_shared<Snapshot::Impl>(*data);
    stale_bound = true;
    for (InPlace& cell : in_place) cell.time = nullptr, cell.value = nullptr;
  }

  // What engine::bind does for one input, by slot: no name is looked up.
  void bind_slot(std::size_t slot) {
    const engine::InputData& input = data->snapshot.inputs[slot];
    const engine::InputSlot& declared = plan->inputs()[slot];
    const bool was_missing = bound.status[slot] == engine::InputStatus::kMissing;
    if (input.values.empty()) bound.set(slot, {}, engine::InputStatus::kMissing);
    else bound.set(slot, engine::SeriesView::of(input), status_at(declared, input.known(input.times.size() - 1)));
    if (!declared.optional) missing_required = missing_required + (input.values.empty() ? 1 : 0) - (was_missing ? 1 : 0);
    InPlace& cell = in_place[slot];
    const bool one = input.values.size() == 1 && input.times.size() == 1;
    cell.time = one ? data->snapshot.inputs[slot].times.data() : nullptr;
    cell.value = one ? data->snapshot.inputs[slot].values.data() : nullptr;
    cell.max_age_seconds = declared.max_age_seconds;
  }
  engine::InputStatus status_at(const engine::InputSlot& declared, std::int64_t last_known) const {
    return engine::age_status(declared, data->snapshot.as_of, last_known);
  }

  // Per slot, where set() overwrites in place: the one observation's time and value while the
  // slot holds exactly one and its view is bound to it, else null; and the slot's max age.
  // bind_slot keeps a slot's entry, unshare() empties them all (the copy moved the storage).
  struct InPlace {
    std::int64_t* time = nullptr;
    double* value = nullptr;
    double max_age_seconds = 0;
    std::uint64_t padding = 0;  // 32 bytes: the slot's entry is found with a shift
  };
  std::vector<InPlace> in_place;

  // set() for a slot that holds exactly one observation (in_place) that nothing else shares: the
  // value is overwritten where the bound view points, and only the slot's age is judged again.
  // False, with nothing changed, for anything else (an error, a first value, a copy to make).
  bool set_in_place(std::uint32_t slot, std::int64_t time, double value) {
    if (slot >= in_place.size()) return false;
    const InPlace& cell = in_place[slot];
    const Snapshot::Impl& held = *data;
    // One test for observation_fault's three: kFirstTime <= time <= as_of (as_of is
    // representable, so time is too), and a finite value.
    const bool fits = time >= kFirstTime && time <= held.snapshot.as_of && std::isfinite(value);
    if (!fits || cell.value == nullptr || held.shared.load(std::memory_order_relaxed)) return false;
    *cell.time = time;
    *cell.value = value;
    const engine::InputStatus status = engine::age_status(cell.max_age_seconds, held.snapshot.as_of, time);
    // BoundSnapshot::set_status, knowing the view holds this one observation.
    bound.status[slot] = status;
    bound.last[slot] = status == engine::InputStatus::kOk ? cell.value : &engine::kNaN;
    return true;
  }
  [[gnu::noinline]] Status set_observation(InputSlot slot, std::int64_t time, double value);
};

namespace {

Error unknown_slot(InputSlot slot, std::size_t count) {
  return Error(ErrorKind::kUsage, "input slot " + std::to_string(slot.index) + " is not a slot of this ruleset (it has " +
                                      std::to_string(count) + " inputs)");
}

}  // namespace

PreparedInputs::PreparedInputs(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PreparedInputs::PreparedInputs(PreparedInputs&& other) noexcept = default;
PreparedInputs& PreparedInputs::operator=(PreparedInputs&& other) noexcept = default;
PreparedInputs::~PreparedInputs() = default;

Result<PreparedInputs> PreparedInputs::prepare(const Ruleset& ruleset, std::int64_t as_of, const DecideOptions& options) {
  const Ruleset::Impl& rules = ApiAccess::of(ruleset);
  auto profile = resolve_profile(rules, options.profile);
  if (!profile) return profile.error();
  auto overrides = resolve_overrides(*rules.plan, options.overrides);
  if (!overrides) return overrides.error();
  if (!representable(as_of)) return Error(ErrorKind::kSnapshot, as_of_message(as_of));
  auto impl = std::make_unique<Impl>(Impl{ruleset, rules.plan.get(), *profile, std::move(*overrides), options,
                                          std::make_shared<Snapshot::Impl>(), {}, true, 0, {}, {}});
  impl->data->snapshot.as_of = as_of;
  for (const auto& input : rules.plan->inputs()) {
    engine::InputData data;
    data.name = input.name;
    data.unit = input.unit;
    data.is_series = input.is_series;
    impl->data->snapshot.inputs.push_back(std::move(data));
  }
  impl->evaluation.keep_values = false;
  impl->bound.reset(rules.plan->inputs().size());
  impl->in_place.resize(rules.plan->inputs().size());
  for (const auto& input : rules.plan->inputs()) impl->missing_required += input.optional ? 0 : 1;
  return PreparedInputs(std::move(impl));
}

Result<InputSlot> PreparedInputs::slot(std::string_view name) const {
  const std::int64_t found = impl_->plan->find_input(name);
  if (found >= 0) return InputSlot{static_cast<std::uint32_t>(found)};
  std::vector<std::string> names;
  for (const auto& input : impl_->plan->inputs()) names.push_back(input.name);
  const std::string suggestion = engine::closest_match(std::string(name), names);
  return Error(ErrorKind::kUsage, "input `" + std::string(name) + "` is not declared by ruleset `" +
                                      impl_->ruleset.name() + "`" +
                                      (suggestion.empty() ? "" : "; did you mean `" + suggestion + "`?"));
}

std::size_t PreparedInputs::slot_count() const { return impl_->data->snapshot.inputs.size(); }
std::int64_t PreparedInputs::as_of() const { return impl_->data->snapshot.as_of; }

Status PreparedInputs::set_as_of(std::int64_t as_of) {
  if (!representable(as_of)) return Error(ErrorKind::kSnapshot, as_of_message(as_of));
  const auto& inputs = impl_->data->snapshot.inputs;
  for (const auto& input : inputs) {
    if (!input.times.empty() && input.times.back() > as_of) {
      const std::size_t last = input.times.size() - 1;
      return Error(ErrorKind::kSnapshot,
                   observation_message(ObservationFault::kAfterAsOf, input.name, last, input.times[last], as_of));
    }
  }
  if (impl_->data->shared.load(std::memory_order_relaxed)) impl_->unshare();
  impl_->data->snapshot.as_of = as_of;
  impl_->stale_bound = true;
  return std::monostate{};
}

// set() for everything set_in_place leaves: an unknown slot, a refused observation (with the
// name path's message), a slot shared with a Decision, empty or holding a series.
Status PreparedInputs::Impl::set_observation(InputSlot slot, std::int64_t time, double value) {
  const auto& inputs = data->snapshot.inputs;
  if (slot.index >= inputs.size()) return unknown_slot(slot, inputs.size());
  const std::int64_t as_of = data->snapshot.as_of;
  const auto fault = observation_fault(as_of, nullptr, time, value);
  if (fault != ObservationFault::kNone) {
    return Error(ErrorKind::kSnapshot, observation_message(fault, inputs[slot.index].name, 0, time, as_of));
  }
  engine::InputData& input = writable(slot.index);
  input.times.resize(1);  // NOTE(sapi): resize keeps the capacity; no allocation after the first row
  input.values.resize(1);
  input.times[0] = time;
  input.values[0] = value;
  bind_slot(slot.index);
  return std::monostate{};
}

// NOTE(row): a row sets every slot, so set() is most of what an embedder's row costs. The common
// case (a slot already holding its one observation, a time and a value that pass every check)
// is set_in_place, small enough to need no saved registers; the rest, and every error message,
// is set_observation, out of line. Both judge the observation exactly as observation_fault does.
Status PreparedInputs::set(InputSlot slot, std::int64_t time, double value) {
  if (impl_->set_in_place(slot.index, time, value)) [[likely]] return std::monostate{};
  return impl_->set_observation(slot, time, value);
}

Status PreparedInputs::append(InputSlot slot, std::int64_t time, double value) {
  const auto& inputs = impl_->data->snapshot.inputs;
  if (slot.index >= inputs.size()) return unknown_slot(slot, inputs.size());
  const engine::InputData& held = inputs[slot.index];
  const std::int64_t as_of = impl_->data->snapshot.as_of;
  const auto fault = observation_fault(as_of, held.times.empty() ? nullptr : &held.times.back(), time, value);
  if (fault != ObservationFault::kNone) {
    return Error(ErrorKind::kSnapshot, observation_message(fault, held.name, held.times.size(), time, as_of));
  }
  engine::InputData& input = impl_->writable(slot.index);
  input.times.push_back(time);
  input.values.push_back(value);
  impl_->bind_slot(slot.index);
  return std::monostate{};
}

Status PreparedInputs::clear(InputSlot slot) {
  const auto& inputs = impl_->data->snapshot.inputs;
  if (slot.index >= inputs.size()) return unknown_slot(slot, inputs.size());
  engine::InputData& input = impl_->writable(slot.index);
  input.times.clear();
  input.values.clear();
  impl_->bind_slot(slot.index);
  return std::monostate{};
}

Result<RowDecision> PreparedInputs::evaluate() {
  Impl& impl = *impl_;
  const engine::Plan& plan = *impl.plan;
  const engine::Snapshot& snapshot = impl.data->snapshot;
  engine::BoundSnapshot& bound = impl.bound;
  bound.as_of = snapshot.as_of;
  if (impl.stale_bound) [[unlikely]] {
    for (std::size_t slot = 0; slot < snapshot.inputs.size(); ++slot) impl.bind_slot(slot);
    impl.stale_bound = false;
  }
  if (impl.missing_required > 0) [[unlikely]] {
    std::vector<std::string> errors;
    for (std::size_t slot = 0; slot < snapshot.inputs.size(); ++slot) {
      if (snapshot.inputs[slot].values.empty() && !plan.inputs()[slot].optional) {
        errors.push_back("required input `" + plan.inputs()[slot].name + "` is missing from the snapshot");
      }
    }
    return Error(ErrorKind::kSnapshot, std::move(errors));
  }
  engine::evaluate(plan, bound, impl.profile, impl.overrides, impl.evaluation);
  const auto chosen = static_cast<std::uint32_t>(impl.evaluation.chosen);
  return RowDecision{plan.profiles()[impl.profile].clauses[chosen].clause->action, chosen,
                     impl.evaluation.depends_on_unknown()};
}

Result<Decision> PreparedInputs::decide() {
  return decide_resolved(impl_->ruleset, impl_->data, impl_->profile, impl_->overrides, impl_->options);
}

Snapshot PreparedInputs::snapshot() const {
  Snapshot out(impl_->data->snapshot.as_of);
  engine::Snapshot& copy = ApiAccess::of(out)->snapshot;
  for (const auto& input : impl_->data->snapshot.inputs) {
    if (!input.values.empty()) copy.inputs.push_back(input);
  }
  return out;
}

}  // namespace riskoff
