// The JSON and display spelling of the explanation's enums (include/riskoff/explanation.hpp).
// These strings are part of the explanation format (docs/explanation.md): never rename one.
#include "riskoff/explanation.hpp"

namespace riskoff {

const char* reason_kind_name(ReasonKind kind) {
  switch (kind) {
    case ReasonKind::kComparison: return "comparison";
    case ReasonKind::kValue: return "value";
    case ReasonKind::kCondition: return "condition";
    case ReasonKind::kSignal: return "signal";
    case ReasonKind::kDriver: return "driver";
    case ReasonKind::kCheck: return "check";
    case ReasonKind::kRegime: return "regime";
    case ReasonKind::kGroup: return "group";
    case ReasonKind::kNot: return "not";
    case ReasonKind::kAll: return "all";
    case ReasonKind::kAny: return "any";
    case ReasonKind::kAtLeast: return "at_least";
  }
  return "condition";
}

const char* input_status_name(InputStatus status) {
  switch (status) {
    case InputStatus::kOk: return "ok";
    case InputStatus::kMissing: return "missing";
    case InputStatus::kStale: return "stale";
  }
  return "missing";
}

}  // namespace riskoff
