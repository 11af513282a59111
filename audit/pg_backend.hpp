// The PostgreSQL backend as the rest of riskoff sees it, without libpq: libpqxx and libpq map 24
// libraries into a process (~22 ms of start-up), so the backend (pg_open.cpp, pg_store.cpp) is a
// plugin of its own, libriskoff-pg.so, loaded the first time a postgresql:// store is opened;
// `riskoff eval` without one never maps libpq. What needs no connection (showing a DSN without
// its password) stays here.
#pragma once

#include <memory>
#include <string>

#include "audit/store.hpp"

namespace riskoff::audit {

// The plugin's file name: installed beside libriskoff.so, built beside it in the build tree.
inline constexpr const char* kPgPluginName = "libriskoff-pg.so";

// The URI as messages may show it: the password (in the user info or a password= parameter)
// replaced by ***. A DSN is a secret; this is the only form of it that leaves PgStore.
std::string redact_dsn(const std::string& uri);
// `message` with any occurrence of the URI's password replaced by ***.
std::string scrub(const std::string& uri, std::string message);

// PgStore::open through the plugin. Throws AuditError (kIo) naming the redacted URI when the
// plugin cannot be loaded or is from another riskoff version, and whatever PgStore::open throws.
std::unique_ptr<AuditStore> open_pg_store(const std::string& uri, OpenMode mode, int target_version);

}  // namespace riskoff::audit

// The plugin's two entry points (pg_plugin.cpp), looked up by name with dlsym: its riskoff version
// (the two sides share C++ types, so they must come from the same build), and PgStore::open.
extern "C" {
using riskoff_pg_version_function = const char*();
using riskoff_pg_open_function = void(const std::string& uri, int mode, int target_version,
                                      std::unique_ptr<riskoff::audit::AuditStore>& out);
}
