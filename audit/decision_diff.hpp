// What changed between two recorded decisions (`riskoff audit diff ID1 ID2`): the action, the
// ruleset and overrides, the inputs (last value and time of each series), and every signal and
// group whose truth changed. Lets are left out: they move every day and the signals show what
// their moves did.
#pragma once

#include <string>

#include "audit/store.hpp"

namespace riskoff::audit {

// Reads both decisions' snapshots from the store. Throws AuditError when a stored piece is
// unreadable.
std::string render_decision_diff(const AuditStore& store, const DecisionRecord& first, const DecisionRecord& second);

}  // namespace riskoff::audit
