// What the audit store's source files share (store.cpp: the log and verify; registry.cpp:
// published versions). Never installed, never included outside audit/.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <string>
#include <utility>

#include "audit/store.hpp"

namespace riskoff::audit {

struct AuditStore::Impl {
  std::string path;
  SQLite::Database db;
  int version = 0;
  Impl(const std::string& file, int flags) : path(file), db(file, flags) {}
};

// Now, as the store writes times: "YYYY-MM-DDTHH:MM:SSZ".
std::string now_text();
// An SQLite failure as the AuditError users see: not a store, damaged, or I/O.
AuditError translate(const std::string& path, const SQLite::Exception& e);
// NAME and VERSION from a canonical rule file's header line.
std::pair<std::string, std::string> header_of(const std::string& text);
// A ruleset's closure, once per hash: decisions and published versions both refer to it.
void store_ruleset(SQLite::Database& db, const RulesetText& ruleset);

}  // namespace riskoff::audit
