// Because-lines for a replay's changes of decision (because.cpp).
#pragma once

#include <string>

#include "explain/explanation.hpp"

namespace riskoff::backtest {

// Why the decision is `now.action` now and no longer `from`: the failing condition of the
// higher-ranked action that stopped holding, or the signals under the clause that now holds.
std::string change_because(const explain::Explanation& now, const std::string& from);

// The same line with names instead of figures ("count(drivers) >= 2: `rates_up`, `dollar_up`"):
// changes with the same signature and the same two actions happened for the same reasons, and
// the text report lists them as one.
std::string change_signature(const explain::Explanation& now, const std::string& from);

}  // namespace riskoff::backtest
