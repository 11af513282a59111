// Types and units of the rule language (docs/language.md, "Units").
//
// A quantity's unit is part of its type: yields are `percent` levels whose changes are in `bp`
// (percentage points x 100); relative changes are `%`; money is `usd`; prices and index levels
// are `index`; ratios, z-scores and counts are `number`. `%` and `bp` never mix implicitly.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "riskoff/values.hpp"

namespace riskoff::engine {

// Public (include/riskoff/values.hpp) because explanations and the embedding API carry units.
using Unit = ::riskoff::Unit;

enum class TypeKind : std::uint8_t {
  kError,     // already reported; suppresses follow-on diagnostics
  kBool,      // three-valued at run time: true, false, unknown
  kNumber,    // a quantity with a Unit
  kDuration,  // `5d`, `4h`: calendar time
  kBars,      // `30 bars`: a count of observations
  kSeries,    // an input of kind `series`; read as its last value where a number is expected
  kGroupSet,  // `drivers`, `checks`, `regimes`, `groups`: only inside aggregations
};

struct Type {
  TypeKind kind = TypeKind::kError;
  Unit unit = Unit::kNumber;
  // A bare numeric literal (`25`) takes the unit of what it meets, except % and bp.
  bool untyped = false;

  static Type error() { return {}; }
  static Type boolean() { return {TypeKind::kBool, Unit::kNumber, false}; }
  static Type number(Unit unit) { return {TypeKind::kNumber, unit, false}; }
};

using ::riskoff::unit_name;                    // "percent", "bp", "usd", "index", "number"
std::string_view unit_symbol(Unit unit);       // "%" for percent, else as unit_name
bool parse_unit(std::string_view text, Unit& unit);
std::string describe(Type type);               // "a number in bp", "a condition", ...
// A series frequency (`1h`, `8h`, `1d`): a whole number of hours or days, in hours.
bool parse_frequency_hours(std::string_view text, double& hours);

}  // namespace riskoff::engine
