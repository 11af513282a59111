// The window step of the row evaluator: a window built-in's value, remembered between
// evaluations of a replay (WindowMemo), scaled and rounded as every window result is.
#include <cmath>

#include "engine/row_cells.hpp"
#include "engine/window_eval.hpp"

namespace riskoff::engine::row {
namespace {

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

// A window node's unscaled number, from the memo when it read exactly the same observations.
double memoised_window(const Plan& plan, const PlanNode& node, std::size_t index, const BoundSnapshot& snapshot,
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

}  // namespace

double window_node(const Plan& plan, const PlanNode& node, std::size_t index, const BoundSnapshot& snapshot,
                   double window, WindowMemo* memo) {
  const double value = memoised_window(plan, node, index, snapshot, window, memo);
  return std::isfinite(value) ? round_significant(value * node.constant) : kNaN;
}

}  // namespace riskoff::engine::row
