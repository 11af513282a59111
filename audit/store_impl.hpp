// What the audit store's source files share (store.cpp: opening and the log; verify.cpp:
// the chain check and the export; registry.cpp: published versions). Never installed, never included outside audit/.
#pragma once

#include <SQLiteCpp/SQLiteCpp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include "audit/store.hpp"

namespace riskoff::audit {

struct AuditStore::Impl {
  std::string path;
  SQLite::Database db;
  int version = 0;
  bool writable = true;
  // `uri`: what SQLite opens (the path, or a file: URI for an immutable read-only open).
  // The busy timeout is set before anything touches the file: other writers may hold it now.
  Impl(const std::string& file, const std::string& uri, int flags) : path(file), db(uri, flags) {
    db.setBusyTimeout(10000);
  }
};

// A decision id or the head's id as stored text: digits only, no sign, within int64
// (0 is the empty chain's head). nullopt for anything else.
std::optional<std::int64_t> parse_record_id(const std::string& text);

// The one path by which decisions are read back: every decision the filter selects (`id` 0:
// any), oldest first, each with its documents and checked against its hash and its
// neighbours' links (DecisionRow::tampered). Reads in one statement, so the head it compares
// with is the one of the same moment even while writers append.
std::vector<DecisionRecord> read_records(AuditStore::Impl& store, const ListFilter& filter, std::int64_t id);

// Now, as the store writes times: "YYYY-MM-DDTHH:MM:SSZ".
std::string now_text();
// An SQLite failure as the AuditError users see: not a store, damaged, or I/O.
AuditError translate(const std::string& path, const SQLite::Exception& e);
// NAME and VERSION from a canonical rule file's header line.
std::pair<std::string, std::string> header_of(const std::string& text);
// A value of the riskoff_store table ("head_id", "head_hash", "schema_version").
std::string get_meta(SQLite::Database& db, const char* key);
void set_meta(SQLite::Database& db, const char* key, const std::string& value);
// The schema version a store's riskoff_store names, checked (throws AuditError).
int parse_version(const std::string& path, const std::string& text);
// What a record's hash covers, and the chain link over it (docs/audit.md).
std::string content_hash(std::int64_t id, const DecisionRow& row, const std::string& trace, const std::string& text,
                         const std::string& markdown, const std::string& json);
std::string chain_hash(const std::string& prev, const std::string& content);
std::string overrides_json(const std::vector<std::string>& overrides);
std::vector<std::string> parse_overrides(const std::string& text);
// The decision columns every listing selects, in this order; read_row() reads them into a row.
inline constexpr const char* kRowColumns =
    "d.id, d.recorded_at, d.as_of, d.profile, d.action, d.ruleset_hash, coalesce(r.name, ''), coalesce(r.version, ''),"
    " d.snapshot_hash, d.overrides, d.engine_version, d.content_hash, d.prev_hash, d.record_hash";
void read_row(SQLite::Statement& query, DecisionRow& row);

// A ruleset's closure, once per hash: decisions and published versions both refer to it.
void store_ruleset(SQLite::Database& db, const RulesetText& ruleset);

}  // namespace riskoff::audit
