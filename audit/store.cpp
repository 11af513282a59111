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
#include "support/checked.hpp"
#include "support/json_writer.hpp"

namespace riskoff::audit {

namespace {

// Forward migrations, applied in order on open, each in its own immediate transaction; the store
// records the version it reached in riskoff_store. Never edit a shipped entry: add one.
constexpr const char* kMigrations[] = {
    // 1: the decision log. Rulesets and snapshots are stored once per content hash; decisions
    // form a hash chain (docs/audit.md) whose head is kept in riskoff_store.
    "CREATE TABLE rulesets (hash TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL,"
    " stored_at TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE ruleset_files (ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash), position INTEGER NOT NULL,"
    " path TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (ruleset_hash, position)) WITHOUT ROWID;"
    "CREATE TABLE snapshots (hash TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE decisions (id INTEGER PRIMARY KEY, recorded_at TEXT NOT NULL, as_of TEXT NOT NULL,"
    " profile TEXT NOT NULL, action TEXT NOT NULL, ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash),"
    " snapshot_hash TEXT NOT NULL REFERENCES snapshots(hash), overrides TEXT NOT NULL, engine_version TEXT NOT NULL,"
    " trace TEXT NOT NULL, explanation_text TEXT NOT NULL, explanation_markdown TEXT NOT NULL,"
    " explanation_json TEXT NOT NULL, content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, record_hash TEXT NOT NULL);"
    "INSERT INTO riskoff_store VALUES ('head_id', '0');"
    "INSERT INTO riskoff_store VALUES ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000');",
    // 2: the ruleset registry (`riskoff ruleset publish`), and listing by as-of without a scan.
    "CREATE TABLE published (name TEXT NOT NULL, version TEXT NOT NULL,"
    " ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash), published_at TEXT NOT NULL,"
    " PRIMARY KEY (name, version)) WITHOUT ROWID;"
    "CREATE INDEX decisions_as_of ON decisions(as_of);",
};
static_assert(std::size(kMigrations) == AuditStore::kSchemaVersion);

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

std::unique_ptr<AuditStore> AuditStore::open(const std::string& path, bool create, int target_version) {
  std::error_code ec;
  if (!create && !std::filesystem::exists(path, ec)) {
    throw AuditError(AuditError::Kind::kIo, path + ": no audit store here (record a decision with `riskoff eval --record`)");
  }
  if (create) {
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  try {
    const int flags = SQLite::OPEN_READWRITE | (create ? SQLite::OPEN_CREATE : 0);
    auto impl = std::make_unique<Impl>(path, flags);
    // Set before anything touches the file: other writers may hold it right now.
    impl->db.setBusyTimeout(10000);
    impl->db.exec("PRAGMA foreign_keys=ON");
    // What the file is, in as few statements as possible: each one costs a parse at every open.
    auto read_state = [&](bool& empty) {
      SQLite::Statement tables(impl->db, "SELECT count(*), coalesce(sum(name = 'riskoff_store'), 0) FROM sqlite_master");
      tables.executeStep();
      empty = tables.getColumn(0).getInt() == 0;
      if (empty) return 0;
      if (tables.getColumn(1).getInt() == 0) {
        throw AuditError(AuditError::Kind::kNotAStore, path + ": not a riskoff audit store (no riskoff_store table)");
      }
      SQLite::Statement meta(impl->db,
                             "SELECT (SELECT value FROM riskoff_store WHERE key = 'store'),"
                             " (SELECT value FROM riskoff_store WHERE key = 'schema_version')");
      meta.executeStep();
      if (meta.getColumn(0).getString() != "audit") {
        throw AuditError(AuditError::Kind::kNotAStore,
                         path + ": a riskoff store, but not an audit store (a history store? see `riskoff data`)");
      }
      return parse_version(path, meta.getColumn(1).getString());
    };
    bool empty = false;
    int version = read_state(empty);
    if (empty && !create) {
      throw AuditError(AuditError::Kind::kNotAStore, path + ": empty file, not a riskoff audit store (truncated?)");
    }
    // WAL: readers never block the writer. NORMAL sync: a commit survives the process being
    // killed at any moment (the WAL is written before COMMIT returns); only a power loss may
    // drop the last commits, never corrupt the chain.
    impl->db.exec("PRAGMA journal_mode=WAL");
    impl->db.exec("PRAGMA synchronous=NORMAL");
    // Each `eval --record` is a short process, usually the store's only connection. By default
    // its close checkpoints and deletes the WAL and the next process recreates it: four fsyncs
    // per record, which tripled the time of an `eval`. Instead the WAL is kept, nothing is
    // checkpointed on close or per commit, and record() folds the WAL into the database once it
    // passes kWalCheckpointBytes: the fsyncs are paid once per few dozen records, and a process
    // opening the store re-reads at most that much WAL.
    int keep = 1;
    sqlite3_file_control(impl->db.getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &keep);
    sqlite3_db_config(impl->db.getHandle(), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
    impl->db.exec("PRAGMA wal_autocheckpoint=0");
    if (version > kSchemaVersion) {
      throw AuditError(AuditError::Kind::kNewer, path + ": audit store schema version " + std::to_string(version) +
                                                     " is newer than this riskoff's (" + std::to_string(kSchemaVersion) + ")");
    }
    // Create or migrate under one write lock, re-reading the version inside it: several
    // processes may open a new store at the same moment.
    if (empty || version < target_version) {
      SQLite::Transaction transaction(impl->db, SQLite::TransactionBehavior::IMMEDIATE);
      version = read_state(empty);
      if (empty) {
        impl->db.exec("CREATE TABLE riskoff_store (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
        set_meta(impl->db, "store", "audit");
        set_meta(impl->db, "schema_version", "0");
        version = 0;
      }
      for (; version < target_version; ++version) {
        impl->db.exec(kMigrations[version]);
        set_meta(impl->db, "schema_version", std::to_string(version + 1));
      }
      transaction.commit();
    }
    impl->version = version;
    return std::unique_ptr<AuditStore>(new AuditStore(std::move(impl)));
  } catch (const SQLite::Exception& e) {
    throw translate(path, e);
  }
}

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

    SQLite::Statement head(impl_->db,
                           "SELECT (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
                           " (SELECT value FROM riskoff_store WHERE key = 'head_hash')");
    head.executeStep();
    // Checked: the head is stored data (edited, or a log that really reached the last id).
    const auto next_id = support::checked_add<std::int64_t>(std::stoll(head.getColumn(0).getString()), 1);
    if (!next_id) {
      throw AuditError(AuditError::Kind::kDamaged, impl_->path + ": the chain head is record " + head.getColumn(0).getString() +
                                                       ", the largest id there can be; start a new store");
    }
    const std::int64_t id = *next_id;
    row.prev_hash = head.getColumn(1).getString();
    // Finish the read now: a statement left mid-step holds a read lock on the WAL, and the
    // checkpoint after the commit below could then never truncate it (the WAL grew without
    // bound and every later open re-read all of it).
    head.reset();
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
  } catch (const std::logic_error&) {
    throw AuditError(AuditError::Kind::kDamaged, impl_->path + ": the chain head in riskoff_store is not a number");
  }
}

std::vector<DecisionRow> AuditStore::list(const ListFilter& filter) const {
  std::vector<DecisionRow> out;
  try {
    // Filters are bound parameters; an empty one matches everything.
    SQLite::Statement query(
        impl_->db, std::string("SELECT ") + kRowColumns +
                       " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash"
                       " WHERE (?1 = '' OR d.as_of >= ?1) AND (?2 = '' OR d.as_of <= ?2) AND (?3 = '' OR lower(d.action) = lower(?3))"
                       " AND (?4 = '' OR r.name = ?4 OR r.name || '@' || r.version = ?4 OR (length(?4) >= 4 AND substr(d.ruleset_hash, 1, length(?4)) = ?4))"
                       " ORDER BY d.id");
    query.bind(1, filter.from);
    query.bind(2, filter.to);
    query.bind(3, filter.action);
    query.bind(4, filter.ruleset);
    while (query.executeStep()) {
      DecisionRow row;
      read_row(query, row);
      out.push_back(std::move(row));
    }
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
  return out;
}

std::optional<DecisionRecord> AuditStore::get(std::int64_t id) const {
  try {
    SQLite::Statement query(impl_->db, std::string("SELECT ") + kRowColumns +
                                           ", d.trace, d.explanation_text, d.explanation_markdown, d.explanation_json"
                                           " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash WHERE d.id = ?");
    query.bind(1, id);
    if (!query.executeStep()) return std::nullopt;
    DecisionRecord record;
    read_row(query, record);
    record.trace = query.getColumn(14).getString();
    record.explanation_text = query.getColumn(15).getString();
    record.explanation_markdown = query.getColumn(16).getString();
    record.explanation_json = query.getColumn(17).getString();
    record.intact = content_hash(record.id, record, record.trace, record.explanation_text, record.explanation_markdown,
                                 record.explanation_json) == record.content_hash;
    return record;
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
