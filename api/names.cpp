// The spelling of the public API's enums (include/riskoff/riskoff.hpp). The C API returns these
// same strings (riskoff_value.kind), so they are part of its contract: never rename one.
#include "riskoff/riskoff.hpp"

namespace riskoff {

const char* parameter_kind_name(ParameterKind kind) {
  switch (kind) {
    case ParameterKind::kNumber: return "number";
    case ParameterKind::kDuration: return "duration";
    case ParameterKind::kBars: return "bars";
    case ParameterKind::kCondition: return "condition";
  }
  return "number";
}

const char* symbol_kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::kInput: return "input";
    case SymbolKind::kLet: return "let";
    case SymbolKind::kSignal: return "signal";
    case SymbolKind::kGroup: return "group";
  }
  return "input";
}

}  // namespace riskoff
