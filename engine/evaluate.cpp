#include "engine/evaluate.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "engine/row_program.hpp"
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

// NOTE(row): a node's value lives in the row state (RowState, evaluate.hpp): a number and a state
// byte per node, in two dense arrays, instead of one 24-byte NodeValue. Each node reads its
// children's cells and writes its own, so every row runs a dependency chain through these cells;
// a condition writes one byte, an exact number nine, and only count and score (whose unknown
// members make a range) write the range's top as well. The NodeValues the explanation reads are
// written from the cells after the nodes, and only when the caller keeps them.
constexpr std::uint8_t kTruthBits = 3;
constexpr std::uint8_t kRanged = 4;  // `upper` holds the top of a range [number, upper]
constexpr std::uint8_t kNumber = static_cast<std::uint8_t>(Truth::kUnknown);  // a number: no truth

Truth from_bool(bool value) { return value ? Truth::kTrue : Truth::kFalse; }

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

// The row state's arrays as raw pointers, read once: stores through them could alias the
// vectors' bounds as far as the compiler knows, which reloaded them for every node.
struct Cells {
  double* number;
  double* upper;
  std::uint8_t* state;

  Truth truth(std::uint32_t node) const { return static_cast<Truth>(state[node] & kTruthBits); }
  double top(std::uint32_t node) const { return (state[node] & kRanged) != 0 ? upper[node] : number[node]; }
  // A single number, not a range (a range whose ends meet counts as one).
  bool exact(std::uint32_t node) const { return (state[node] & kRanged) == 0 || upper[node] == number[node]; }
  bool known(std::uint32_t node) const { return !std::isnan(number[node]) && exact(node); }

  void set_truth(std::size_t node, Truth value) const { state[node] = static_cast<std::uint8_t>(value); }
  void set_number(std::size_t node, double value) const {
    number[node] = value;
    state[node] = kNumber;
  }
  void set_range(std::size_t node, double low, double high) const {
    number[node] = low;
    upper[node] = high;
    state[node] = kNumber | kRanged;
  }
  void copy(std::size_t node, std::uint32_t from) const {
    number[node] = number[from];
    upper[node] = upper[from];
    state[node] = state[from];
  }
  // An unknown of the node's kind.
  void set_unknown(std::size_t node, bool is_condition) const {
    if (is_condition) set_truth(node, Truth::kUnknown);
    else set_number(node, kNaN);
  }
  // The NodeValue the explanation reads: conditions carry a truth, numbers [number, upper].
  NodeValue value(std::uint32_t node, bool is_condition) const {
    if (is_condition) return {kNaN, kNaN, truth(node)};
    return {number[node], top(node), Truth::kUnknown};
  }
};

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
Truth compare(const Cells& cells, std::uint32_t lhs, std::uint32_t rhs) {
  const double low = cells.number[lhs];
  const double other_low = cells.number[rhs];
  if (std::isnan(low) || std::isnan(other_low)) return Truth::kUnknown;
  if (cells.exact(lhs) && cells.exact(rhs)) [[likely]] return from_bool(holds<Op>(low, other_low));
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    return Truth::kUnknown;
  } else {
    // Monotone operators: the extremes decide.
    const double high = cells.top(lhs);
    const double other_high = cells.top(rhs);
    const bool at_low = holds<Op>(low, other_high);
    const bool at_high = holds<Op>(high, other_low);
    if (at_low == at_high && holds<Op>(low, other_low) == at_low && holds<Op>(high, other_high) == at_low) {
      return from_bool(at_low);
    }
    return Truth::kUnknown;
  }
}

// A comparison node: == and != between conditions compare truths; otherwise numbers.
template <NodeOp Op>
Truth compare_node(const PlanNode* nodes, const PlanNode& node, const Cells& cells) {
  if constexpr (Op == NodeOp::kEq || Op == NodeOp::kNe) {
    if (nodes[node.a].is_condition) {
      const Truth a = cells.truth(node.a);
      const Truth b = cells.truth(node.b);
      if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
      return from_bool((a == b) == (Op == NodeOp::kEq));
    }
  }
  return compare<Op>(cells, node.a, node.b);
}

// The snapshot's per-slot arrays, read once per row: a store to a cell's state byte may alias
// anything as far as the compiler knows, which reloaded the vectors' data for every input read.
struct Slots {
  const SeriesView* inputs;
  const InputStatus* status;
  const double* const* last;

  bool usable(std::uint32_t slot) const { return inputs[slot].data != nullptr && status[slot] == InputStatus::kOk; }
  // What an input node holds: its last value as of the snapshot, NaN when missing or stale.
  double value(std::uint32_t slot) const { return *last[slot]; }
};

// Whether every slot's `last` says what its view and status say (BoundSnapshot::set keeps them
// so): a writer that set a view or status by hand would leave rows reading another value.
[[maybe_unused]] bool last_in_step(const BoundSnapshot& snapshot) {
  if (snapshot.last.size() != snapshot.inputs.size() || snapshot.status.size() != snapshot.inputs.size()) return false;
  const Slots slots{snapshot.inputs.data(), snapshot.status.data(), snapshot.last.data()};
  for (std::uint32_t slot = 0; slot < snapshot.inputs.size(); ++slot) {
    const bool in_step = slots.usable(slot) && !snapshot.inputs[slot].values.empty()
                             ? snapshot.last[slot] == &snapshot.inputs[slot].values.back()
                             : std::isnan(*snapshot.last[slot]);
    if (!in_step) return false;
  }
  return true;
}

// A comparison of an input with a constant (RowProgram): the input's last value, read here.
template <NodeOp Op>
Truth compare_input(const RowStep& step, const Slots& slots) {
  const double value = slots.value(step.node.a);
  if (std::isnan(value)) return Truth::kUnknown;  // the constant is never NaN here
  return from_bool(holds<Op>(value, step.node.constant));
}

// A comparison of two numbers that are never ranges (RowProgram's on_exact): NaN is the only
// unknown.
template <NodeOp Op>
Truth compare_exact(const PlanNode& node, const Cells& cells) {
  const double lhs = cells.number[node.a];
  const double rhs = cells.number[node.b];
  if (std::isnan(lhs) || std::isnan(rhs)) return Truth::kUnknown;
  return from_bool(holds<Op>(lhs, rhs));
}

// Arithmetic on two numbers that are never ranges: a NaN operand gives NaN, and so does any
// result that is not finite (x/0 included), which is what the generic case decides by tests.
template <NodeOp Op>
double arithmetic_exact(const PlanNode& node, const Cells& cells) {
  const double lhs = cells.number[node.a];
  const double rhs = cells.number[node.b];
  double value;
  if constexpr (Op == NodeOp::kAdd) value = lhs + rhs;
  else if constexpr (Op == NodeOp::kSub) value = lhs - rhs;
  else if constexpr (Op == NodeOp::kMul) value = lhs * rhs;
  else value = lhs / rhs;
  return std::isfinite(value) ? value : kNaN;
}

// A window node's number, from the memo when it read exactly the same observations.
double window_node(const Plan& plan, const PlanNode& node, std::size_t index, const BoundSnapshot& snapshot,
                   double window, WindowMemo* memo) {
  const SeriesView& data = snapshot.inputs[node.a];
  const Builtin& builtin = builtins()[node.fn];
  const SeriesView* other = builtin.shape == BuiltinShape::kPairWindow ? &snapshot.inputs[node.c] : nullptr;
  WindowMemo::Entry* entry = memo != nullptr ? &memo->entries[index] : nullptr;
  const double* other_values = other != nullptr ? other->values.data() : nullptr;
  const std::size_t other_count = other != nullptr ? other->values.size() : 0;
  if (entry != nullptr && entry->values == data.values.data() && entry->count == data.values.size() &&
      entry->other_values == other_values && entry->other_count == other_count && entry->window == window) {
    ++memo->hits;
    return entry->result;
  }
  double value = 0;
  if (entry != nullptr && has_running_form(builtin.id)) {
    value = running_window_value(builtin, data, window, node.window_kind, entry->running);
  } else {
    value = window_value(builtin, data, other, window, node.window_kind, plan.inputs()[node.a].annualization);
  }
  if (entry != nullptr) {
    entry->values = data.values.data();
    entry->count = data.values.size();
    entry->other_values = other_values;
    entry->other_count = other_count;
    entry->window = window;
    entry->result = value;
    ++memo->misses;
  }
  return value;
}

// count, score and the other aggregates of conditions.
// NOTE(row): members are counted in integers, and weights summed only for score: count(drivers)
// is in most decisions, and the score's arithmetic cost every aggregate a fifth of a row.
void aggregate_node(const RowProgram& program, const PlanNode& node, std::size_t index, const Cells& cells) {
  const std::uint32_t* const members = program.args.data() + node.args_begin();
  if (node.op == NodeOp::kScore) {
    const std::uint32_t* const weights = program.weights.data() + node.args_begin();
    double low = 0, high = 0;
    for (std::uint32_t k = 0; k < node.args_count(); ++k) {
      const Truth member = cells.truth(members[k]);
      const double weight = cells.number[weights[k]];
      const bool is_true = member == Truth::kTrue;
      const bool is_unknown = member == Truth::kUnknown;
      low += is_true ? weight : is_unknown ? std::min(weight, 0.0) : 0.0;
      high += is_true ? weight : is_unknown ? std::max(weight, 0.0) : 0.0;
    }
    cells.set_range(index, low, high);
    return;
  }
  std::uint32_t trues = 0, unknowns = 0;
  for (std::uint32_t k = 0; k < node.args_count(); ++k) {
    const std::uint8_t member = cells.state[members[k]] & kTruthBits;
    trues += member == static_cast<std::uint8_t>(Truth::kTrue);
    unknowns += member == static_cast<std::uint8_t>(Truth::kUnknown);
  }
  const std::uint32_t falses = node.args_count() - trues - unknowns;
  switch (node.op) {
    case NodeOp::kAny:
      cells.set_truth(index, trues > 0 ? Truth::kTrue : unknowns > 0 ? Truth::kUnknown : Truth::kFalse);
      break;
    case NodeOp::kAll:
      cells.set_truth(index, falses > 0 ? Truth::kFalse : unknowns > 0 ? Truth::kUnknown : Truth::kTrue);
      break;
    case NodeOp::kCount:
      cells.set_range(index, trues, trues + unknowns);
      break;
    default: {  // at_least
      const double n = cells.number[node.a];
      if (std::isnan(n)) cells.set_truth(index, Truth::kUnknown);
      else cells.set_truth(index, trues >= n ? Truth::kTrue : trues + unknowns < n ? Truth::kFalse : Truth::kUnknown);
      break;
    }
  }
}

void evaluate_with(const Plan& plan, const BoundSnapshot& snapshot, std::uint32_t profile,
                   const std::vector<ParamOverride>& overrides, Evaluation& out, WindowMemo* memo) {
  const auto& nodes = plan.nodes();
  const std::shared_ptr<const RowProgram>& program = plan.row_program();
  const std::uint32_t* const args = program->args.data();
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
  RowState& row = out.row;
  // A program is one plan's: while the state holds it, the cells are that plan's size already.
  if (row.program != program) [[unlikely]] {
    row.number.resize(nodes.size());
    row.upper.resize(nodes.size());
    row.state.resize(nodes.size());
  }
  const Cells cells{row.number.data(), row.upper.data(), row.state.data()};
  const PlanNode* const node_data = nodes.data();
  const std::size_t node_count = nodes.size();
  const double* const params = out.params.data();
  if (row.program != program) [[unlikely]] {
    for (const RowConstant& constant : program->constants) {
      if (constant.is_condition) cells.set_truth(constant.index, from_bool(constant.value != 0));
      else cells.set_number(constant.index, constant.value);
    }
    row.program = program;  // held, so no other program can take its address while the cells say so
  }

  assert(last_in_step(snapshot));
  const Slots slots{snapshot.inputs.data(), snapshot.status.data(), snapshot.last.data()};
  // NOTE(row): the program ends in a kEndOfProgram step, so the loop tests no count per step.
  for (const RowStep* next = program->steps.data();; ++next) {
    const RowStep& step = *next;
    const PlanNode& node = step.node;
    const std::uint32_t index = step.index;
    switch (step.kind) {
      case kind_of(NodeOp::kParam):
        if (node.is_condition) cells.set_truth(index, from_bool(params[node.a] != 0));
        else cells.set_number(index, params[node.a]);
        break;
      case kind_of(NodeOp::kInput):
        cells.set_number(index, slots.value(node.a));
        break;
      case kind_of(NodeOp::kNeg):
        if (cells.known(node.a)) cells.set_number(index, -cells.number[node.a]);
        else cells.set_range(index, -cells.top(node.a), -cells.number[node.a]);
        break;
      case kind_of(NodeOp::kNot):
        cells.set_truth(index, kNotTable[static_cast<int>(cells.truth(node.a))]);
        break;
      case kind_of(NodeOp::kAdd):
      case kind_of(NodeOp::kSub):
      case kind_of(NodeOp::kMul):
      case kind_of(NodeOp::kDiv): {
        if (!cells.known(node.a) || !cells.known(node.b)) {
          cells.set_number(index, kNaN);
          break;
        }
        const double lhs = cells.number[node.a];
        const double rhs = cells.number[node.b];
        double value = kNaN;
        if (node.op == NodeOp::kAdd) value = lhs + rhs;
        else if (node.op == NodeOp::kSub) value = lhs - rhs;
        else if (node.op == NodeOp::kMul) value = lhs * rhs;
        else if (rhs != 0) value = lhs / rhs;  // x/0 is unknown, never inf
        cells.set_number(index, std::isfinite(value) ? value : kNaN);
        break;
      }
      case kind_of(NodeOp::kLt): cells.set_truth(index, compare_node<NodeOp::kLt>(node_data, node, cells)); break;
      case kind_of(NodeOp::kLe): cells.set_truth(index, compare_node<NodeOp::kLe>(node_data, node, cells)); break;
      case kind_of(NodeOp::kGt): cells.set_truth(index, compare_node<NodeOp::kGt>(node_data, node, cells)); break;
      case kind_of(NodeOp::kGe): cells.set_truth(index, compare_node<NodeOp::kGe>(node_data, node, cells)); break;
      case kind_of(NodeOp::kEq): cells.set_truth(index, compare_node<NodeOp::kEq>(node_data, node, cells)); break;
      case kind_of(NodeOp::kNe): cells.set_truth(index, compare_node<NodeOp::kNe>(node_data, node, cells)); break;
      case kind_of(NodeOp::kAnd):
        cells.set_truth(index, kAndTable[static_cast<int>(cells.truth(node.a))][static_cast<int>(cells.truth(node.b))]);
        break;
      case kind_of(NodeOp::kOr):
        cells.set_truth(index, kOrTable[static_cast<int>(cells.truth(node.a))][static_cast<int>(cells.truth(node.b))]);
        break;
      case kind_of(NodeOp::kIf): {
        const Truth condition = cells.truth(node.a);
        if (condition == Truth::kTrue) cells.copy(index, node.b);
        else if (condition == Truth::kFalse) cells.copy(index, node.c);
        else if (node.is_condition && cells.truth(node.b) == cells.truth(node.c)) cells.copy(index, node.b);
        else if (!node.is_condition && cells.known(node.b) && cells.known(node.c) &&
                 cells.number[node.b] == cells.number[node.c])
          cells.copy(index, node.b);
        else cells.set_unknown(index, node.is_condition);
        break;
      }
      case kind_of(NodeOp::kWindow): {
        const bool pair = builtins()[node.fn].shape == BuiltinShape::kPairWindow;
        if (!slots.usable(node.a) || (pair && !slots.usable(node.c)) || !cells.known(node.b)) {
          cells.set_number(index, kNaN);
          break;
        }
        const double value = window_node(plan, node, index, snapshot, cells.number[node.b], memo);
        cells.set_number(index, std::isfinite(value) ? round_significant(value * node.constant) : kNaN);
        break;
      }
      case kind_of(NodeOp::kAbs):
        cells.set_number(index, cells.known(node.a) ? std::fabs(cells.number[node.a]) : kNaN);
        break;
      case kind_of(NodeOp::kMin):
      case kind_of(NodeOp::kMax): {
        double value = node.op == NodeOp::kMin ? std::numeric_limits<double>::infinity()
                                               : -std::numeric_limits<double>::infinity();
        bool all_known = true;
        for (std::uint32_t k = 0; k < node.args_count(); ++k) {
          const std::uint32_t member = args[node.args_begin() + k];
          if (!cells.known(member)) all_known = false;
          else value = node.op == NodeOp::kMin ? std::min(value, cells.number[member]) : std::max(value, cells.number[member]);
        }
        cells.set_number(index, all_known ? value : kNaN);
        break;
      }
      case kind_of(NodeOp::kClamp): {
        const bool all_known = cells.known(node.a) && cells.known(node.b) && cells.known(node.c);
        const double low = cells.number[node.b];
        cells.set_number(index, all_known ? std::clamp(cells.number[node.a], low, std::max(low, cells.number[node.c])) : kNaN);
        break;
      }
      case kind_of(NodeOp::kScale):
        cells.set_number(index, cells.known(node.a) ? cells.number[node.a] * node.constant : kNaN);
        break;
      case kind_of(NodeOp::kAny):
      case kind_of(NodeOp::kAll):
      case kind_of(NodeOp::kCount):
      case kind_of(NodeOp::kAtLeast):
      case kind_of(NodeOp::kScore):
        aggregate_node(*program, node, index, cells);
        break;
      case input_vs_constant(NodeOp::kLt): cells.set_truth(index, compare_input<NodeOp::kLt>(step, slots)); break;
      case input_vs_constant(NodeOp::kLe): cells.set_truth(index, compare_input<NodeOp::kLe>(step, slots)); break;
      case input_vs_constant(NodeOp::kGt): cells.set_truth(index, compare_input<NodeOp::kGt>(step, slots)); break;
      case input_vs_constant(NodeOp::kGe): cells.set_truth(index, compare_input<NodeOp::kGe>(step, slots)); break;
      case input_vs_constant(NodeOp::kEq): cells.set_truth(index, compare_input<NodeOp::kEq>(step, slots)); break;
      case input_vs_constant(NodeOp::kNe): cells.set_truth(index, compare_input<NodeOp::kNe>(step, slots)); break;
      case on_exact(NodeOp::kAdd): cells.set_number(index, arithmetic_exact<NodeOp::kAdd>(node, cells)); break;
      case on_exact(NodeOp::kSub): cells.set_number(index, arithmetic_exact<NodeOp::kSub>(node, cells)); break;
      case on_exact(NodeOp::kMul): cells.set_number(index, arithmetic_exact<NodeOp::kMul>(node, cells)); break;
      case on_exact(NodeOp::kDiv): cells.set_number(index, arithmetic_exact<NodeOp::kDiv>(node, cells)); break;
      case on_exact(NodeOp::kLt): cells.set_truth(index, compare_exact<NodeOp::kLt>(node, cells)); break;
      case on_exact(NodeOp::kLe): cells.set_truth(index, compare_exact<NodeOp::kLe>(node, cells)); break;
      case on_exact(NodeOp::kGt): cells.set_truth(index, compare_exact<NodeOp::kGt>(node, cells)); break;
      case on_exact(NodeOp::kGe): cells.set_truth(index, compare_exact<NodeOp::kGe>(node, cells)); break;
      case on_exact(NodeOp::kEq): cells.set_truth(index, compare_exact<NodeOp::kEq>(node, cells)); break;
      case on_exact(NodeOp::kNe): cells.set_truth(index, compare_exact<NodeOp::kNe>(node, cells)); break;
      case kEndOfProgram: goto steps_done;
      default:
        // Every kind a program has is a case above (constants and refs are never steps): without
        // this the jump table would check its bounds for every step.
        __builtin_unreachable();
    }
  }

steps_done:
  if (out.keep_values) {
    out.values.resize(node_count);
    const std::uint32_t* const resolved = program->resolved.data();
    for (std::uint32_t index = 0; index < node_count; ++index) {
      const PlanNode& node = node_data[index];
      // A ref, or a node identical to an earlier one: the value of the node it repeats.
      if (resolved[index] != index) out.values[index] = out.values[resolved[index]];
      else if (node.op == NodeOp::kInput) {
        const double value = slots.value(node.a);
        out.values[index] = {value, value, Truth::kUnknown};
      }
      else out.values[index] = cells.value(index, node.is_condition);
    }
  } else {
    out.values.clear();
  }

  // Decisions: the first clause whose condition is true; unknown conditions above it are kept
  // so the explanation can say the decision depends on them.
  out.chosen = -1;
  out.unknown_before.clear();
  if (!has_profile) return;
  const std::vector<std::int64_t>& clauses = program->clauses[profile];
  for (std::size_t index = 0; index < clauses.size(); ++index) {
    if (clauses[index] < 0) {
      out.chosen = static_cast<std::int64_t>(index);
      break;
    }
    const Truth condition = cells.truth(static_cast<std::uint32_t>(clauses[index]));
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
