// libriskoff-pg.so's entry points (pg_backend.hpp): the only symbols the plugin exports.
#include "audit/pg_backend.hpp"
#include "audit/pg_store.hpp"
#include "riskoff/version.h"

#include <type_traits>

extern "C" __attribute__((visibility("default"))) const char* riskoff_pg_version() { return RISKOFF_VERSION_STRING; }

extern "C" __attribute__((visibility("default"))) void riskoff_pg_open(
    const std::string& uri, int mode, int target_version, std::unique_ptr<riskoff::audit::AuditStore>& out) {
  out = riskoff::audit::PgStore::open(uri, static_cast<riskoff::OpenMode>(mode), target_version);
}

// The declarations and the definitions must agree, or the loader would call through a wrong type.
static_assert(std::is_same_v<decltype(riskoff_pg_version), riskoff_pg_version_function>);
static_assert(std::is_same_v<decltype(riskoff_pg_open), riskoff_pg_open_function>);
