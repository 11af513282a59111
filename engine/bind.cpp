// Binding: a snapshot matched to a plan's input slots by name (the one place evaluation looks
// names up), the one-row snapshot of row-at-a-time benchmarks and tests, and parameter overrides
// parsed against the plan. Evaluation itself (engine/evaluate.cpp) reads slots only.
#include <charconv>
#include <cmath>

#include "engine/check.hpp"
#include "engine/evaluate.hpp"
#include "engine/window_eval.hpp"

namespace riskoff::engine {

void BoundSnapshot::reset(std::size_t slots) {
  inputs.assign(slots, SeriesView{});
  status.assign(slots, InputStatus::kMissing);
  last.assign(slots, &kNaN);
}

void BoundSnapshot::set(std::size_t slot, const SeriesView& view, InputStatus input_status) {
  inputs[slot] = view;
  set_status(slot, input_status);
}

BindResult bind(const Plan& plan, const Snapshot& snapshot) {
  BindResult result;
  BoundSnapshot& bound = result.bound;
  bound.as_of = snapshot.as_of;
  bound.reset(plan.inputs().size());
  std::vector<bool> reported(plan.inputs().size(), false);  // present but refused: not "missing" too
  const std::vector<InputSlot>& inputs = plan.inputs();
  // NOTE(bind): a snapshot usually lists the inputs in the order the ruleset declares them (both
  // written from the same declarations), so the slot after the previous input's is tried first:
  // one comparison of names, where the index hashes the name and probes a table read at random
  // (at 100k signals, 10k inputs). Input names are unique, so a name that matches is its slot.
  std::size_t next = 0;
  for (const auto& data : snapshot.inputs) {
    const auto slot = next < inputs.size() && inputs[next].name == data.name ? static_cast<std::int64_t>(next)
                                                                                : plan.find_input(data.name);
    if (slot < 0) {
      result.unused.push_back(data.name);
      continue;
    }
    next = static_cast<std::size_t>(slot) + 1;
    const InputSlot& input = plan.inputs()[static_cast<std::size_t>(slot)];
    if (data.unit != input.unit) {
      result.errors.push_back("input `" + data.name + "` is in " + std::string(unit_name(data.unit)) +
                              " but the ruleset declares it in " + std::string(unit_name(input.unit)));
      reported[static_cast<std::size_t>(slot)] = true;
      continue;
    }
    if (data.values.empty()) {
      bound.set_status(static_cast<std::size_t>(slot), InputStatus::kMissing);
      continue;
    }
    // Without a max age an input is never stale, and its newest observation's time (in a block of
    // its own, one more cache line per input) is not read.
    const InputStatus status = input.max_age_seconds > 0
                                   ? age_status(input, snapshot.as_of, data.known(data.times.size() - 1))
                                   : InputStatus::kOk;
    bound.set(static_cast<std::size_t>(slot), SeriesView::of(data), status);
  }
  for (std::size_t slot = 0; slot < plan.inputs().size(); ++slot) {
    const InputSlot& input = plan.inputs()[slot];
    if (bound.inputs[slot].data == nullptr && !input.optional && !reported[slot]) {
      result.errors.push_back("required input `" + input.name + "` is missing from the snapshot");
    }
  }
  return result;
}

Snapshot one_row_snapshot(const Plan& plan) {
  Snapshot snapshot;
  for (const auto& input : plan.inputs()) {
    InputData item;
    item.name = input.name;
    item.unit = input.unit;
    item.is_series = false;
    item.times = {0};
    item.values = {0};
    snapshot.inputs.push_back(std::move(item));
  }
  return snapshot;
}

std::string parse_override(const Plan& plan, std::string_view assignment, ParamOverride& out) {
  const auto equals = assignment.find('=');
  if (equals == std::string_view::npos) return "expected NAME=VALUE, e.g. `yield_jump=20bp`";
  const std::string name(assignment.substr(0, equals));
  std::string_view text = assignment.substr(equals + 1);
  const auto slot = plan.find_param(name);
  if (slot < 0) {
    std::vector<std::string> names;
    for (const auto& param : plan.params()) names.push_back(param.name);
    const std::string suggestion = closest_match(name, names);
    return "unknown parameter `" + name + "`" + (suggestion.empty() ? "" : "; did you mean `" + suggestion + "`?");
  }
  const ParamSlot& param = plan.params()[static_cast<std::size_t>(slot)];
  out.slot = static_cast<std::uint32_t>(slot);
  if (param.type.kind == TypeKind::kBool) {
    if (text == "true" || text == "false") {
      out.value = text == "true" ? 1 : 0;
      return {};
    }
    return "`" + name + "` is a condition: give true or false";
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || !std::isfinite(value)) return "`" + std::string(text) + "` is not a number with a unit";
  std::string_view unit = text.substr(static_cast<std::size_t>(end - text.data()));
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  std::string expected;
  double scale = 1;
  switch (param.type.kind) {
    case TypeKind::kDuration:
      if (unit == "d") scale = 86400;
      else if (unit == "h") scale = 3600;
      else expected = "a duration such as 5d or 4h";
      break;
    case TypeKind::kBars:
      if (unit != "bars") expected = "a bar count such as 30bars";
      break;
    default:
      if (param.type.unit == Unit::kPercent && unit != "%") expected = "a number in % such as 1.5%";
      else if (param.type.unit == Unit::kBp && unit != "bp") expected = "a number in bp such as 15bp";
      else if (param.type.unit == Unit::kUsd && unit != "usd") expected = "a number in usd such as 2.5e9usd";
      else if ((param.type.unit == Unit::kNumber || param.type.unit == Unit::kIndex) && !unit.empty())
        expected = "a plain number";
      break;
  }
  if (!expected.empty()) return "`" + name + "` takes " + expected + ", got `" + std::string(text) + "`";
  // The checker's window rule holds for overrides too.
  if ((param.type.kind == TypeKind::kDuration || param.type.kind == TypeKind::kBars) &&
      !window_in_range(param.type.kind, value * scale)) {
    return "window `" + std::string(text) + "` is out of range: " + window_limits_text();
  }
  out.value = value * scale;
  return {};
}

}  // namespace riskoff::engine
