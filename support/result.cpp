#include "riskoff/result.hpp"

namespace riskoff {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kUsage: return "usage";
    case ErrorKind::kRuleset: return "ruleset";
    case ErrorKind::kSnapshot: return "snapshot";
    case ErrorKind::kData: return "data";
    case ErrorKind::kStore: return "store";
    case ErrorKind::kIo: return "io";
  }
  return "usage";
}

}  // namespace riskoff
