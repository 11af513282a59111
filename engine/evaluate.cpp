#include "engine/evaluate.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/check.hpp"
#include "engine/window_eval.hpp"

namespace riskoff::engine {
bool comparison_holds(NodeOp op, double lhs, double rhs) {
  switch (op) {
    case NodeOp::kLt: return lhs < rhs;
    case NodeOp::kLe: return lhs <= rhs;
    case NodeOp::kGt: return lhs > rhs;
    case NodeOp::kGe: return lhs >= rhs;
    case NodeOp::kEq: return lhs == rhs;
    default: return lhs != rhs;
  }
}

namespace {

NodeValue exact(double number) { return {number, number, Truth::kUnknown}; }
NodeValue truth(Truth value) { return {kNaN, kNaN, value}; }
Truth from_bool(bool value) { return value ? Truth::kTrue : Truth::kFalse; }
bool known(const NodeValue& value) { return !std::isnan(value.number) && value.number == value.upper; }

// NOTE(ties): binary floating point turns a move of exactly 15bp in the data (4.00 -> 4.15)
// into 15.000000000000036bp, which would pass a `> 15bp` threshold. Window results are rounded
// to 12 significant digits, far below any market precision, so data on a threshold compares as
// equal to it.
double round_significant(double value) {
  if (value == 0 || !std::isfinite(value)) return value;
  const double scale = std::pow(10.0, 11 - static_cast<int>(std::floor(std::log10(std::fabs(value)))));
  const double rounded = std::round(value * scale) / scale;
  return std::isfinite(rounded) ? rounded : value;
}

// NOTE(row): and, or, not and the aggregates below are table lookups and sums, never branches on
// a condition's value: those branches follow the data, mispredict on about half the rows, and
// cost evaluate() more than the arithmetic (Truth: false 0, true 1, unknown 2).
constexpr Truth kAndTable[3][3] = {{Truth::kFalse, Truth::kFalse, Truth::kFalse},
                                   {Truth::kFalse, Truth::kTrue, Truth::kUnknown},
                                   {Truth::kFalse, Truth::kUnknown, Truth::kUnknown}};
constexpr Truth kOrTable[3][3] = {{Truth::kFalse, Truth::kTrue, Truth::kUnknown},
                                  {Truth::kTrue, Truth::kTrue, Truth::kTrue},
                                  {Truth::kUnknown, Truth::kTrue, Truth::kUnknown}};
constexpr Truth kNotTable[3] = {Truth::kTrue, Truth::kFalse, Truth::kUnknown};
Truth kleene_and(Truth a, Truth b) { return kAndTable[static_cast<int>(a)][static_cast<int>(b)]; }
Truth kleene_or(Truth a, Truth b) { return kOrTable[static_cast<int>(a)][static_cast<int>(b)]; }
Truth kleene_not(Truth value) { return kNotTable[static_cast<int>(value)]; }

// Comparisons of a possibly ranged number (count/score with unknown members) with another:
// decided when every value in the range gives the same answer, unknown otherwise.
// NOTE(row): one instance per operator, so a comparison node costs the node loop's one dispatch
// and no second switch on its operator (half of evaluate()'s time on the peer ruleset went to
// dispatch).
template <NodeOp Op>
inline bool holds(double a, double b) {
  if constexpr (Op == NodeOp::kLt) return a < b;
  else if constexpr (Op == NodeOp::kLe) return a <= b;
  else if constexpr (Op == NodeOp::kGt) return a > b;
  else if constexpr (Op == NodeOp::kGe) return a >= b;
  else if constexpr (Op == NodeOp::kEq) return a == b;
  else return a != b;
}

template <NodeOp Op>
Truth compare(const NodeValue& lhs, const NodeValue& rhs) {
  if (std::isnan(lhs.number) || std::isnan(rhs.number)) return Truth::kUnknown;
  if (lhs.number == lhs.upper && rhs.number == rhs.upper) [[likely]] return from_bool(holds<Op>(lhs.number, rhs.number));
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    return Truth::kUnknown;
  } else {
    // Monotone operators: the extremes decide.
    const bool low = holds<Op>(lhs.number, rhs.upper);
    const bool high = holds<Op>(lhs.upper, rhs.number);
    if (low == high && holds<Op>(lhs.number, rhs.number) == low && holds<Op>(lhs.upper, rhs.upper) == low) return from_bool(low);
    return Truth::kUnknown;
  }
}

// A comparison node: == and != between conditions compare truths; otherwise numbers.
template <NodeOp Op>
NodeValue compare_node(const PlanNode* nodes, const PlanNode& node, const NodeValue* values) {
  const NodeValue& lhs = values[node.a];
  const NodeValue& rhs = values[node.b];
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    if (nodes[node.a].is_condition) {
      const Truth a = lhs.truth;
      const Truth b = rhs.truth;
      if (a == Truth::kUnknown || b == Truth::kUnknown) return truth(Truth::kUnknown);
      return truth(from_bool((a == b) == (Op == NodeOp::kEq)));
    }
  }
  return truth(compare<Op>(lhs, rhs));
}

}  // namespace

BindResult bind(const Plan& plan, const Snapshot& snapshot) {
  BindResult result;
  BoundSnapshot& bound = result.bound;
  bound.as_of = snapshot.as_of;
  bound.inputs.assign(plan.inputs().size(), SeriesView{});
  bound.status.assign(plan.inputs().size(), InputStatus::kMissing);
  std::vector<bool> reported(plan.inputs().size(), false);  // present but refused: not "missing" too
  for (const auto& data : snapshot.inputs) {
    const auto slot = plan.find_input(data.name);
    if (slot < 0) {
      result.unused.push_back(data.name);
      continue;
    }
    const InputSlot& input = plan.inputs()[static_cast<std::size_t>(slot)];
    if (data.unit != input.unit) {
      result.errors.push_back("input `" + data.name + "` is in " + std::string(unit_name(data.unit)) +
                              " but the ruleset declares it in " + std::string(unit_name(input.unit)));
      reported[static_cast<std::size_t>(slot)] = true;
      continue;
    }
    if (data.values.empty()) {
      bound.status[static_cast<std::size_t>(slot)] = InputStatus::kMissing;
      continue;
    }
    bound.inputs[static_cast<std::size_t>(slot)] = SeriesView::of(data);
    const double age = static_cast<double>(snapshot.as_of - data.known(data.times.size() - 1));
    bound.status[static_cast<std::size_t>(slot)] =
        input.max_age_seconds > 0 && age > input.max_age_seconds ? InputStatus::kStale : InputStatus::kOk;
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

namespace {

void evaluate_with(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
                   const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo* memo) {
  const auto& nodes = plan.nodes();
  const auto& args = plan.args();
  const auto& weights = plan.weights();
  out.profile = profile;
  out.params.resize(plan.params().size());
  for (std::size_t slot = 0; slot < plan.params().size(); ++slot) out.params[slot] = plan.params()[slot].default_value;
  // A profile index past the end means "parameter defaults, no decision" (rulesets without
  // profiles, or conditions read outside any profile).
  const bool has_profile = profile < plan.profiles().size();
  if (has_profile) {
    for (const auto& [slot, value] : plan.profiles()[profile].overrides) out.params[slot] = value;
  }
  for (const auto& override : overrides) out.params[override.slot] = override.value;
  out.values.resize(nodes.size());
  NodeValue* values = out.values.data();
  // Read once: stores through `values` could alias the vectors' bounds as far as the compiler
  // knows, which reloaded them for every node.
  const PlanNode* const node_data = nodes.data();
  const std::size_t node_count = nodes.size();
  const double* const params = out.params.data();

  for (std::size_t index = 0; index < node_count; ++index) {
    const PlanNode& node = node_data[index];
    NodeValue& result = values[index];
    switch (node.op) {
      case NodeOp::kConst:
        result = node.is_condition ? truth(from_bool(node.constant != 0)) : exact(node.constant);
        break;
      case NodeOp::kParam: {
        const double value = params[node.a];
        result = node.is_condition ? truth(from_bool(value != 0)) : exact(value);
        break;
      }
      case NodeOp::kInput: {
        const SeriesView& data = snapshot.inputs[node.a];
        result = data.data != nullptr && snapshot.status[node.a] == InputStatus::kOk ? exact(data.values.back()) : NodeValue{};
        break;
      }
      case NodeOp::kRef:
        result = values[node.a];
        break;
      case NodeOp::kNeg:
        result = exact(-values[node.a].number);
        if (!known(values[node.a])) result = {-values[node.a].upper, -values[node.a].number, Truth::kUnknown};
        break;
      case NodeOp::kNot:
        result = truth(kleene_not(values[node.a].truth));
        break;
      case NodeOp::kAdd:
      case NodeOp::kSub:
      case NodeOp::kMul:
      case NodeOp::kDiv: {
        const NodeValue& lhs = values[node.a];
        const NodeValue& rhs = values[node.b];
        if (!known(lhs) || !known(rhs)) {
          result = NodeValue{};
          break;
        }
        double value = kNaN;
        if (node.op == NodeOp::kAdd) value = lhs.number + rhs.number;
        else if (node.op == NodeOp::kSub) value = lhs.number - rhs.number;
        else if (node.op == NodeOp::kMul) value = lhs.number * rhs.number;
        else if (rhs.number != 0) value = lhs.number / rhs.number;  // x/0 is unknown, never inf
        result = std::isfinite(value) ? exact(value) : NodeValue{};
        break;
      }
      case NodeOp::kLt: result = compare_node<NodeOp::kLt>(node_data, node, values); break;
      case NodeOp::kLe: result = compare_node<NodeOp::kLe>(node_data, node, values); break;
      case NodeOp::kGt: result = compare_node<NodeOp::kGt>(node_data, node, values); break;
      case NodeOp::kGe: result = compare_node<NodeOp::kGe>(node_data, node, values); break;
      case NodeOp::kEq: result = compare_node<NodeOp::kEq>(node_data, node, values); break;
      case NodeOp::kNe: result = compare_node<NodeOp::kNe>(node_data, node, values); break;
      case NodeOp::kAnd:
        result = truth(kleene_and(values[node.a].truth, values[node.b].truth));
        break;
      case NodeOp::kOr:
        result = truth(kleene_or(values[node.a].truth, values[node.b].truth));
        break;
      case NodeOp::kIf: {
        const Truth condition = values[node.a].truth;
        if (condition == Truth::kTrue) result = values[node.b];
        else if (condition == Truth::kFalse) result = values[node.c];
        else if (node.is_condition && values[node.b].truth == values[node.c].truth) result = values[node.b];
        else if (!node.is_condition && known(values[node.b]) && known(values[node.c]) &&
                 values[node.b].number == values[node.c].number)
          result = values[node.b];
        else result = node.is_condition ? truth(Truth::kUnknown) : NodeValue{};
        break;
      }
      case NodeOp::kWindow: {
        const SeriesView& data = snapshot.inputs[node.a];
        const SeriesView* other = nullptr;
        const Builtin& builtin = builtins()[node.fn];
        const bool pair = builtin.shape == BuiltinShape::kPairWindow;
        if (pair) other = &snapshot.inputs[node.c];
        const bool usable = data.data != nullptr && snapshot.status[node.a] == InputStatus::kOk &&
                            (!pair || (other->data != nullptr && snapshot.status[node.c] == InputStatus::kOk));
        const NodeValue& window = values[node.b];
        if (!usable || !known(window)) {
          result = NodeValue{};
          break;
        }
        double value = 0;
        WindowMemo::Entry* entry = memo != nullptr ? &memo->entries[index] : nullptr;
        const double* other_values = other != nullptr ? other->values.data() : nullptr;
        const std::size_t other_count = other != nullptr ? other->values.size() : 0;
        if (entry != nullptr && entry->values == data.values.data() && entry->count == data.values.size() &&
            entry->other_values == other_values && entry->other_count == other_count && entry->window == window.number) {
          value = entry->result;
          ++memo->hits;
        } else {
          if (entry != nullptr && has_running_form(builtin.id)) {
            value = running_window_value(builtin, data, window.number, node.window_kind, entry->running);
          } else {
            value = window_value(builtin, data, other, window.number, node.window_kind, plan.inputs()[node.a].annualization);
          }
          if (entry != nullptr) {
            entry->values = data.values.data();
            entry->count = data.values.size();
            entry->other_values = other_values;
            entry->other_count = other_count;
            entry->window = window.number;
            entry->result = value;
            ++memo->misses;
          }
        }
        result = std::isfinite(value) ? exact(round_significant(value * node.constant)) : NodeValue{};
        break;
      }
      case NodeOp::kAbs:
        result = known(values[node.a]) ? exact(std::fabs(values[node.a].number)) : NodeValue{};
        break;
      case NodeOp::kMin:
      case NodeOp::kMax: {
        double value = node.op == NodeOp::kMin ? std::numeric_limits<double>::infinity()
                                               : -std::numeric_limits<double>::infinity();
        bool all_known = true;
        for (std::uint32_t k = 0; k < node.args_count; ++k) {
          const NodeValue& member = values[args[node.args_begin + k]];
          if (!known(member)) all_known = false;
          else value = node.op == NodeOp::kMin ? std::min(value, member.number) : std::max(value, member.number);
        }
        result = all_known ? exact(value) : NodeValue{};
        break;
      }
      case NodeOp::kClamp: {
        const NodeValue& x = values[node.a];
        const NodeValue& low = values[node.b];
        const NodeValue& high = values[node.c];
        result = known(x) && known(low) && known(high) ? exact(std::clamp(x.number, low.number, std::max(low.number, high.number)))
                                                       : NodeValue{};
        break;
      }
      case NodeOp::kScale:
        result = known(values[node.a]) ? exact(values[node.a].number * node.constant) : NodeValue{};
        break;
      case NodeOp::kAny:
      case NodeOp::kAll:
      case NodeOp::kCount:
      case NodeOp::kAtLeast:
      case NodeOp::kScore: {
        double trues = 0, unknowns = 0, falses = 0, score_low = 0, score_high = 0;
        for (std::uint32_t k = 0; k < node.args_count; ++k) {
          const Truth member = values[args[node.args_begin + k]].truth;
          const double weight = node.op == NodeOp::kScore ? values[weights[node.args_begin + k]].number : 1;
          const bool is_true = member == Truth::kTrue;
          const bool is_unknown = member == Truth::kUnknown;
          trues += is_true;
          unknowns += is_unknown;
          falses += member == Truth::kFalse;
          score_low += is_true ? weight : is_unknown ? std::min(weight, 0.0) : 0.0;
          score_high += is_true ? weight : is_unknown ? std::max(weight, 0.0) : 0.0;
        }
        switch (node.op) {
          case NodeOp::kAny:
            result = truth(trues > 0 ? Truth::kTrue : unknowns > 0 ? Truth::kUnknown : Truth::kFalse);
            break;
          case NodeOp::kAll:
            result = truth(falses > 0 ? Truth::kFalse : unknowns > 0 ? Truth::kUnknown : Truth::kTrue);
            break;
          case NodeOp::kCount:
            result = {trues, trues + unknowns, Truth::kUnknown};
            break;
          case NodeOp::kAtLeast: {
            const double n = values[node.a].number;
            if (std::isnan(n)) result = truth(Truth::kUnknown);
            else result = truth(trues >= n ? Truth::kTrue : trues + unknowns < n ? Truth::kFalse : Truth::kUnknown);
            break;
          }
          default:
            result = {score_low, score_high, Truth::kUnknown};
            break;
        }
        break;
      }
    }
  }

  // Decisions: the first clause whose condition is true; unknown conditions above it are kept
  // so the explanation can say the decision depends on them.
  out.chosen = -1;
  out.unknown_before.clear();
  if (!has_profile) return;
  const ProfilePlan& chosen_profile = plan.profiles()[profile];
  for (std::size_t index = 0; index < chosen_profile.clauses.size(); ++index) {
    const ClausePlan& clause = chosen_profile.clauses[index];
    if (clause.node < 0) {
      out.chosen = static_cast<std::int64_t>(index);
      break;
    }
    const Truth condition = values[clause.node].truth;
    if (condition == Truth::kTrue) {
      out.chosen = static_cast<std::int64_t>(index);
      break;
    }
    if (condition == Truth::kUnknown) out.unknown_before.push_back(static_cast<std::uint32_t>(index));
  }
}

}  // namespace

void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out) {
  evaluate_with(plan, snapshot, profile, overrides, out, nullptr);
}

void evaluate(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
              const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo& memo) {
  memo.entries.resize(plan.nodes().size());
  evaluate_with(plan, snapshot, profile, overrides, out, &memo);
}

}  // namespace riskoff::engine
