// The two value types every layer shares with embedders: a quantity's unit and a condition's
// three-valued truth. Plain enums with stable numbering (the C API uses the same numbers).
#pragma once

#include <cstdint>
#include <string_view>

#include "riskoff/export.h"

namespace riskoff {

// A quantity's unit (docs/language.md, "Units"). kPercent covers yields and relative changes
// (`%`); kBp is basis points; kIndex is a price or index level; kNumber is a plain ratio or count.
enum class Unit : std::uint8_t { kNumber = 0, kPercent = 1, kBp = 2, kUsd = 3, kIndex = 4 };

// Kleene logic: a condition on missing or stale data is unknown, never silently false.
enum class Truth : std::uint8_t { kFalse = 0, kTrue = 1, kUnknown = 2 };

// "percent", "bp", "usd", "index", "number".
RISKOFF_API std::string_view unit_name(Unit unit);

}  // namespace riskoff
