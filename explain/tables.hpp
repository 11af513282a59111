// The tables of an explanation, each a function of the evaluated decision: the group tables
// (checklist, drivers, regimes), what is closest to flipping, and how each input stood.
// Internal to explain/.
#pragma once

#include <vector>

#include "explain/node_view.hpp"
#include "explain/reasons.hpp"

namespace riskoff::explain::detail {

struct GroupTables {
  std::vector<GroupRow> checklist;  // in step order
  std::vector<GroupRow> drivers;
  std::vector<GroupRow> regimes;
};

// Every `check`, `driver` and `regime` group, in the ruleset's symbol order (the checklist then
// by step), with the members that are on or unknown.
GroupTables group_tables(const NodeView& view, const ReasonBuilder& reasons);

// The comparisons nearest to changing the decision (at most five, flips.cpp): those whose flip
// alone changes the action first, then those that would move a clause above the chosen one
// but for another condition (named), each by relative distance.
std::vector<Flip> closest_to_flipping(const NodeView& view, const ReasonBuilder& reasons);

// Every input with its status and last observation; a missing or stale one names the signals
// and groups it left unknown.
std::vector<InputRow> input_rows(const NodeView& view);

}  // namespace riskoff::explain::detail
