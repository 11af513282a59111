#include "engine/types.hpp"

namespace riskoff {

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::kNumber: return "number";
    case Unit::kPercent: return "percent";
    case Unit::kBp: return "bp";
    case Unit::kUsd: return "usd";
    case Unit::kIndex: return "index";
  }
  return "number";
}

}  // namespace riskoff

namespace riskoff::engine {

std::string_view unit_symbol(Unit unit) { return unit == Unit::kPercent ? "%" : unit_name(unit); }

bool parse_unit(std::string_view text, Unit& unit) {
  for (const Unit candidate : {Unit::kNumber, Unit::kPercent, Unit::kBp, Unit::kUsd, Unit::kIndex}) {
    if (text == unit_name(candidate)) {
      unit = candidate;
      return true;
    }
  }
  return false;
}

std::string describe(Type type) {
  switch (type.kind) {
    case TypeKind::kError: return "an invalid expression";
    case TypeKind::kBool: return "a condition";
    case TypeKind::kNumber:
      if (type.untyped) return "a bare number";
      if (type.unit == Unit::kNumber) return "a plain number";
      return "a number in " + std::string(unit_symbol(type.unit));
    case TypeKind::kDuration: return "a duration";
    case TypeKind::kBars: return "a bar count";
    case TypeKind::kSeries: return "a series in " + std::string(unit_symbol(type.unit));
    case TypeKind::kGroupSet: return "a set of groups";
  }
  return "an expression";
}

bool parse_frequency_hours(std::string_view text, double& hours) {
  if (text.size() < 2 || text.size() > 5) return false;
  const char suffix = text.back();
  const std::string_view digits = text.substr(0, text.size() - 1);
  double value = 0;
  for (const char ch : digits) {
    if (ch < '0' || ch > '9') return false;
    value = value * 10 + (ch - '0');
  }
  if (value <= 0 || (suffix != 'h' && suffix != 'd')) return false;
  hours = suffix == 'd' ? value * 24 : value;
  return true;
}

}  // namespace riskoff::engine
