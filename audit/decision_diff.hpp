// What changed between two recorded decisions (`riskoff audit diff ID1 ID2`): the action, the
// ruleset and overrides, the inputs (last value and time of each series), and every signal and
// group whose truth changed, as data (riskoff::RecordDiff), and its one rendering in words.
#pragma once

#include <string>

#include "audit/store.hpp"
#include "riskoff/audit.hpp"

namespace riskoff::audit {

// Reads both decisions' snapshots from the store. Throws AuditError when a stored piece is
// unreadable.
RecordDiff diff_decisions(const AuditStore& store, const DecisionRecord& first, const DecisionRecord& second);

// The words `riskoff audit diff` prints.
std::string render_record_diff(const RecordDiff& diff);

}  // namespace riskoff::audit
