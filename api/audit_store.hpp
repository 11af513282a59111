// What the audit API's handles (AuditLog, RulesetRegistry; riskoff/audit.hpp, riskoff/registry.hpp)
// share: the store they hold and how its failures become the errors users see. Never installed.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "audit/store.hpp"
#include "riskoff/audit.hpp"
#include "riskoff/registry.hpp"

namespace riskoff {

struct AuditLog::Impl {
  std::unique_ptr<audit::AuditStore> store;
};

struct RulesetRegistry::Impl {
  std::unique_ptr<audit::AuditStore> store;
};

// A file that cannot be opened or written is I/O (the command line exits 2); one that is not a
// store, is damaged or is newer is a finding about the user's file (exit 1).
inline Error store_error(const audit::AuditError& e) {
  return Error(e.kind() == audit::AuditError::Kind::kIo ? ErrorKind::kIo : ErrorKind::kStore, e.what());
}

// Runs `work` against the store; an AuditError it throws becomes the Error it returns.
template <typename Work>
auto guarded(Work&& work) -> decltype(work()) {
  try {
    return std::forward<Work>(work)();
  } catch (const audit::AuditError& e) {
    return store_error(e);
  }
}

inline Result<std::unique_ptr<audit::AuditStore>> open_store(const std::string& path, OpenMode mode) {
  return guarded([&]() -> Result<std::unique_ptr<audit::AuditStore>> {
    return audit::AuditStore::open(path, mode);
  });
}

}  // namespace riskoff
