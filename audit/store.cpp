#include "audit/store.hpp"

#include "audit/store_impl.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "support/sha256.hpp"
#include "engine/snapshot.hpp"
#include "support/json_writer.hpp"

namespace riskoff::audit {

namespace {

// WAL size past which a record folds the WAL into the database (see open()): about 35 records.
constexpr std::uintmax_t kWalCheckpointBytes = 1u << 20;

}  // namespace

std::string get_meta(SQLite::Database& db, const char* key) {
  SQLite::Statement query(db, "SELECT value FROM riskoff_store WHERE key = ?");
  query.bind(1, key);
  if (!query.executeStep()) return {};
  return query.getColumn(0).getString();
}

void set_meta(SQLite::Database& db, const char* key, const std::string& value) {
  SQLite::Statement update(db, "INSERT OR REPLACE INTO riskoff_store (key, value) VALUES (?, ?)");
  update.bind(1, key);
  update.bind(2, value);
  update.exec();
}

int parse_version(const std::string& path, const std::string& text) {
  char* end = nullptr;
  const long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || value < 0 || value > 1000000) {
    throw AuditError(AuditError::Kind::kNotAStore, path + ": schema_version `" + text + "` is not a number");
  }
  return static_cast<int>(value);
}

// The hash a record's content must have: every field, and the hashes of the large ones, in a
// fixed JSON shape. The id is part of it, so moving a record to another place shows.
std::string content_hash(std::int64_t id, const DecisionRow& row, const std::string& trace, const std::string& text,
                         const std::string& markdown, const std::string& json) {
  // Compact, in this order: the bytes every stored record's hash was computed over.
  support::JsonWriter canonical(support::JsonLayout::kCompact);
  canonical.begin_object().field_integer("id", id);
  canonical.field("recorded_at", row.recorded_at);
  canonical.field("as_of", row.as_of);
  canonical.field("profile", row.profile);
  canonical.field("action", row.action);
  canonical.field("ruleset", row.ruleset_hash);
  canonical.field("snapshot", row.snapshot_hash);
  canonical.key("overrides").begin_array();
  for (const auto& assignment : row.overrides) canonical.string(assignment);
  canonical.end_array();
  canonical.field("engine_version", row.engine_version);
  canonical.field("trace", support::sha256_hex(trace));
  canonical.field("explanation_text", support::sha256_hex(text));
  canonical.field("explanation_markdown", support::sha256_hex(markdown));
  canonical.field("explanation_json", support::sha256_hex(json));
  canonical.end_object();
  return support::sha256_hex(canonical.text());
}

std::string chain_hash(const std::string& prev, const std::string& content) {
  return support::sha256_hex(prev + content);
}

std::string overrides_json(const std::vector<std::string>& overrides) {
  support::JsonWriter json(support::JsonLayout::kCompact);
  json.begin_array();
  for (const auto& assignment : overrides) json.string(assignment);
  json.end_array();
  return json.take();
}

std::vector<std::string> parse_overrides(const std::string& text) {
  std::vector<std::string> out;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return {"(unreadable overrides: " + text + ")"};
  for (const auto& item : json) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

void read_row(SQLite::Statement& query, DecisionRow& row) {
  row.id = query.getColumn(0).getInt64();
  row.recorded_at = query.getColumn(1).getString();
  row.as_of = query.getColumn(2).getString();
  row.profile = query.getColumn(3).getString();
  row.action = query.getColumn(4).getString();
  row.ruleset_hash = query.getColumn(5).getString();
  row.ruleset_name = query.getColumn(6).getString();
  row.ruleset_version = query.getColumn(7).getString();
  row.snapshot_hash = query.getColumn(8).getString();
  row.overrides = parse_overrides(query.getColumn(9).getString());
  row.engine_version = query.getColumn(10).getString();
  row.content_hash = query.getColumn(11).getString();
  row.prev_hash = query.getColumn(12).getString();
  row.record_hash = query.getColumn(13).getString();
}


AuditStore::AuditStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
AuditStore::~AuditStore() = default;
int AuditStore::schema_version() const { return impl_->version; }
const std::string& AuditStore::path() const { return impl_->path; }

std::string now_text() {
  return engine::format_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

AuditError translate(const std::string& path, const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  if (code == SQLITE_NOTADB) {
    return AuditError(AuditError::Kind::kNotAStore, path + ": not a riskoff audit store (not an SQLite database)");
  }
  if (code == SQLITE_CORRUPT) {
    return AuditError(AuditError::Kind::kDamaged, path + ": the store is damaged (" + e.what() +
                                                     "); `riskoff audit verify` says what is left");
  }
  return AuditError(AuditError::Kind::kIo, path + ": " + e.what());
}

// NAME and VERSION from a canonical rule file's header line, the first line that is not a
// comment: `ruleset NAME version "X.Y.Z" ...`.
std::pair<std::string, std::string> header_of(const std::string& text) {
  std::size_t at = 0;
  while (at < text.size() && (text[at] == '#' || text[at] == '\n')) {
    const auto next = text.find('\n', at);
    at = next == std::string::npos ? text.size() : next + 1;
  }
  const std::string line = text.substr(at, text.find('\n', at) - at);
  if (line.rfind("ruleset ", 0) != 0) return {};
  const auto name_end = line.find(' ', 8);
  const auto open = line.find('"', name_end);
  const auto close = open == std::string::npos ? open : line.find('"', open + 1);
  if (name_end == std::string::npos || close == std::string::npos) return {};
  return {line.substr(8, name_end - 8), line.substr(open + 1, close - open - 1)};
}

// A ruleset's closure, once per hash: decisions and published versions both refer to it.
void store_ruleset(SQLite::Database& db, const RulesetText& ruleset) {
  SQLite::Statement add_ruleset(db, "INSERT OR IGNORE INTO rulesets (hash, name, version, stored_at) VALUES (?, ?, ?, ?)");
  add_ruleset.bind(1, ruleset.hash);
  add_ruleset.bind(2, ruleset.name);
  add_ruleset.bind(3, ruleset.version);
  add_ruleset.bind(4, now_text());
  if (add_ruleset.exec() == 0) return;  // stored before
  SQLite::Statement add_file(db, "INSERT INTO ruleset_files (ruleset_hash, position, path, text) VALUES (?, ?, ?, ?)");
  for (std::size_t k = 0; k < ruleset.files.size(); ++k) {
    add_file.bind(1, ruleset.hash);
    add_file.bind(2, static_cast<std::int64_t>(k));
    add_file.bind(3, ruleset.files[k].path);
    add_file.bind(4, ruleset.files[k].text);
    add_file.exec();
    add_file.reset();
  }
}


std::int64_t AuditStore::record(const DecisionInput& input) {
  if (!impl_->writable) {
    throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot be written (opened read-only, or a read-only file or folder)");
  }
  try {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    const RulesetText& ruleset = *input.ruleset;
    store_ruleset(impl_->db, ruleset);
    DecisionRow row;
    row.snapshot_hash = support::sha256_hex(input.snapshot_json);
    SQLite::Statement add_snapshot(impl_->db, "INSERT OR IGNORE INTO snapshots (hash, json) VALUES (?, ?)");
    add_snapshot.bind(1, row.snapshot_hash);
    add_snapshot.bind(2, input.snapshot_json);
    add_snapshot.exec();

    // The head must be the last record: a chain is never continued from a head that was
    // edited (record -4 after a head of -5) or that lost its records.
    SQLite::Statement head(impl_->db,
                           "SELECT (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
                           " (SELECT value FROM riskoff_store WHERE key = 'head_hash'),"
                           " (SELECT id FROM decisions ORDER BY id DESC LIMIT 1),"
                           " (SELECT record_hash FROM decisions ORDER BY id DESC LIMIT 1)");
    head.executeStep();
    const std::string head_text = head.getColumn(0).getString();
    row.prev_hash = head.getColumn(1).getString();
    const bool any = !head.getColumn(2).isNull();
    const std::int64_t last_id = any ? head.getColumn(2).getInt64() : 0;
    const std::string last_hash = any ? head.getColumn(3).getString() : std::string(kGenesisHash);
    // Finish the read now: a statement left mid-step holds a read lock on the WAL, and the
    // checkpoint after the commit below could then never truncate it (the WAL grew without
    // bound and every later open re-read all of it).
    head.reset();
    const auto head_id = parse_record_id(head_text);
    if (!head_id) {
      throw AuditError(AuditError::Kind::kDamaged, impl_->path + ": the chain head in riskoff_store (`" + head_text +
                                                       "`) is not a record id: the store was edited; nothing recorded "
                                                       "(`riskoff audit verify` says what is left)");
    }
    if (*head_id != last_id || row.prev_hash != last_hash) {
      throw AuditError(AuditError::Kind::kDamaged, impl_->path + ": the chain head in riskoff_store (record " + head_text +
                                                       ") is not the last record (" +
                                                       (any ? "record " + std::to_string(last_id) : std::string("none")) +
                                                       "): the store was edited; nothing recorded (`riskoff audit verify` says what is left)");
    }
    std::int64_t id = 0;
    if (__builtin_add_overflow(*head_id, 1, &id)) {
      throw AuditError(AuditError::Kind::kDamaged, impl_->path + ": no record id after " + head_text + "; nothing recorded");
    }
    row.recorded_at = now_text();
    row.as_of = input.as_of;
    row.profile = input.profile;
    row.action = input.action;
    row.ruleset_hash = ruleset.hash;
    row.overrides = input.overrides;
    row.engine_version = input.engine_version;
    row.content_hash = content_hash(id, row, input.trace, input.explanation_text, input.explanation_markdown,
                                    input.explanation_json);
    row.record_hash = chain_hash(row.prev_hash, row.content_hash);
    SQLite::Statement add(impl_->db,
                          "INSERT INTO decisions (id, recorded_at, as_of, profile, action, ruleset_hash, snapshot_hash,"
                          " overrides, engine_version, trace, explanation_text, explanation_markdown, explanation_json,"
                          " content_hash, prev_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    add.bind(1, id);
    add.bind(2, row.recorded_at);
    add.bind(3, row.as_of);
    add.bind(4, row.profile);
    add.bind(5, row.action);
    add.bind(6, row.ruleset_hash);
    add.bind(7, row.snapshot_hash);
    add.bind(8, overrides_json(row.overrides));
    add.bind(9, row.engine_version);
    add.bind(10, input.trace);
    add.bind(11, input.explanation_text);
    add.bind(12, input.explanation_markdown);
    add.bind(13, input.explanation_json);
    add.bind(14, row.content_hash);
    add.bind(15, row.prev_hash);
    add.bind(16, row.record_hash);
    add.exec();
    SQLite::Statement move_head(impl_->db, "INSERT OR REPLACE INTO riskoff_store (key, value) VALUES ('head_id', ?), ('head_hash', ?)");
    move_head.bind(1, std::to_string(id));
    move_head.bind(2, row.record_hash);
    move_head.exec();
    transaction.commit();
    std::error_code ec;
    if (std::filesystem::file_size(impl_->path + "-wal", ec) > kWalCheckpointBytes && !ec) {
      // TRUNCATE: the WAL starts again from nothing, so no later opener re-reads old frames.
      // Best effort: a busy store checkpoints at a later record; the record is committed anyway.
      impl_->db.tryExec("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    return id;
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::optional<std::string> AuditStore::snapshot_json(const std::string& hash) const {
  try {
    SQLite::Statement query(impl_->db, "SELECT json FROM snapshots WHERE hash = ?");
    query.bind(1, hash);
    if (!query.executeStep()) return std::nullopt;
    return query.getColumn(0).getString();
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::vector<RulesetFile> AuditStore::ruleset_files(const std::string& hash) const {
  std::vector<RulesetFile> files;
  try {
    SQLite::Statement query(impl_->db, "SELECT path, text FROM ruleset_files WHERE ruleset_hash = ? ORDER BY position");
    query.bind(1, hash);
    while (query.executeStep()) files.push_back({query.getColumn(0).getString(), query.getColumn(1).getString()});
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
  return files;
}

std::string default_store_path() {
  if (const char* db = std::getenv("RISKOFF_DB"); db != nullptr && *db != '\0') return db;
  if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data == '/') {
    return std::string(data) + "/riskoff/audit.sqlite";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/share/riskoff/audit.sqlite";
}

}  // namespace riskoff::audit
