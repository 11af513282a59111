// Opening a PostgreSQL audit store: connecting (the URI is a secret: messages show it redacted),
// what the database holds (an audit store, nothing yet, something else), and the forward
// migrations, versioned as for SQLite (open.cpp) and applied under the chain lock.
#include <pqxx/pqxx>

#include <algorithm>
#include <utility>
#include <vector>

#include "audit/pg_store.hpp"

namespace riskoff::audit {

namespace {

// Forward migrations, the same versions as SQLite's (open.cpp) in PostgreSQL's dialect. Never edit
// a shipped entry: add one. Text that is compared or ordered (as_of, names, versions) is COLLATE
// "C": byte order, as in SQLite, whatever the database's locale (a locale may ignore the `-` and
// `:` of ISO times).
constexpr const char* kMigrations[] = {
    // 1: the decision log; the head is kept in riskoff_store.
    "CREATE TABLE rulesets (hash TEXT PRIMARY KEY, name TEXT COLLATE \"C\" NOT NULL, version TEXT COLLATE \"C\" NOT NULL,"
    " stored_at TEXT NOT NULL);"
    "CREATE TABLE ruleset_files (ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash), position BIGINT NOT NULL,"
    " path TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (ruleset_hash, position));"
    "CREATE TABLE snapshots (hash TEXT PRIMARY KEY, json TEXT NOT NULL);"
    "CREATE TABLE decisions (id BIGINT PRIMARY KEY, recorded_at TEXT NOT NULL, as_of TEXT COLLATE \"C\" NOT NULL,"
    " profile TEXT NOT NULL, action TEXT NOT NULL, ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash),"
    " snapshot_hash TEXT NOT NULL REFERENCES snapshots(hash), overrides TEXT NOT NULL, engine_version TEXT NOT NULL,"
    " trace TEXT NOT NULL, explanation_text TEXT NOT NULL, explanation_markdown TEXT NOT NULL,"
    " explanation_json TEXT NOT NULL, content_hash TEXT NOT NULL, prev_hash TEXT NOT NULL, record_hash TEXT NOT NULL);"
    "INSERT INTO riskoff_store VALUES ('head_id', '0');"
    "INSERT INTO riskoff_store VALUES ('head_hash', '0000000000000000000000000000000000000000000000000000000000000000');",
    // 2: the ruleset registry, and listing by as-of without a scan.
    "CREATE TABLE published (name TEXT COLLATE \"C\" NOT NULL, version TEXT COLLATE \"C\" NOT NULL,"
    " ruleset_hash TEXT NOT NULL REFERENCES rulesets(hash), published_at TEXT NOT NULL, PRIMARY KEY (name, version));"
    "CREATE INDEX decisions_as_of ON decisions(as_of);"
    // Finding a record by its hash: a writer whose commit's outcome was unknown looked for it
    // (no longer: same-second duplicates share a hash; version 3's token replaced it; version 4 drops it).
    "CREATE INDEX decisions_record_hash ON decisions(record_hash);",
    // 3: the token of the record() call that wrote a record, in the record's own transaction: a
    // writer whose commit's outcome was unknown looks it up (PgStore::record). Bookkeeping, not
    // part of the record (no hash covers it, no reader selects it); records from before, and
    // imported ones, have none. Adding a column without a default rewrites no row.
    "ALTER TABLE decisions ADD COLUMN attempt_token UUID;"
    "CREATE UNIQUE INDEX decisions_attempt_token ON decisions(attempt_token);",
    // 4: the token of the publish() call that registered a version, in the same transaction: a
    // publisher whose commit's outcome was unknown tells its own publication from an earlier one
    // (PgStore::publish). Found by the primary key (name, version), so no index. And the
    // record_hash index goes: no statement looks a record up by its hash any more (every one is
    // by id, as-of, attempt token or a scan; EXPLAIN in docs/audit.md), and each insert paid for it.
    "ALTER TABLE published ADD COLUMN attempt_token UUID;"
    "DROP INDEX IF EXISTS decisions_record_hash;",
};
static_assert(std::size(kMigrations) == AuditStore::kSchemaVersion);

// The store's schema version; -1 when the database holds no riskoff_store table yet. Throws
// AuditError for a riskoff store of another kind or a version that is not a number.
int read_state(pqxx::transaction_base& work, const std::string& shown) {
  const auto present = work.exec("SELECT to_regclass('riskoff_store') IS NOT NULL");
  if (!present[0][0].as<bool>()) return -1;
  const auto meta = work.exec(
      "SELECT (SELECT value FROM riskoff_store WHERE key = 'store'),"
      " (SELECT value FROM riskoff_store WHERE key = 'schema_version')");
  if (meta[0][0].is_null() || meta[0][0].as<std::string>() != "audit") {
    throw AuditError(AuditError::Kind::kNotAStore,
                     shown + ": a riskoff_store table, but not a riskoff audit store (a history store? another program's?)");
  }
  const std::string text = meta[0][1].is_null() ? std::string() : meta[0][1].as<std::string>();
  const auto version = parse_record_id(text);  // digits only, no sign
  if (!version || *version > 1000000) {
    throw AuditError(AuditError::Kind::kNotAStore, shown + ": schema_version `" + text + "` is not a number");
  }
  return static_cast<int>(*version);
}

}  // namespace

bool transient_state(const std::string& sqlstate) {
  return sqlstate.rfind("08", 0) == 0 || sqlstate == "57P01" || sqlstate == "57P02" || sqlstate == "57P03";
}

std::unique_ptr<pqxx::connection> connect_pg(const std::string& uri, bool writable) {
  auto connection = std::make_unique<pqxx::connection>(uri);
  pqxx::nontransaction session(*connection);
  // CREATE … IF NOT EXISTS and the like send NOTICEs, which libpq prints on standard error.
  session.exec0("SET client_min_messages TO warning");
  if (!writable) session.exec0("SET default_transaction_read_only TO on");
  return connection;
}

PgStore::PgStore(std::string uri, std::unique_ptr<pqxx::connection> connection, bool writable)
    : uri_(std::move(uri)), shown_(redact_dsn(uri_)), writable_(writable), connection_(std::move(connection)) {}

PgStore::~PgStore() = default;

pqxx::connection& PgStore::connection() const {
  if (!connection_) connection_ = connect_pg(uri_, writable_);
  return *connection_;
}

void PgStore::fail(const std::exception& e) const {
  std::string message = e.what();
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  for (auto at = message.find('\n'); at != std::string::npos; at = message.find('\n', at)) message.replace(at, 1, "; ");
  if (dynamic_cast<const pqxx::data_exception*>(&e) != nullptr) {
    throw AuditError(AuditError::Kind::kDamaged, shown_ + ": " + scrub(uri_, message));
  }
  throw AuditError(AuditError::Kind::kIo, shown_ + ": PostgreSQL: " + scrub(uri_, message));
}

int PgStore::migrate(pqxx::connection& connection, int target_version) {
  pqxx::work work(connection);
  work.exec_params("SELECT pg_advisory_xact_lock($1)", kChainLock);
  work.exec0("CREATE TABLE IF NOT EXISTS riskoff_store (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  work.exec0("INSERT INTO riskoff_store VALUES ('store', 'audit'), ('schema_version', '0') ON CONFLICT (key) DO NOTHING");
  int version = read_state(work, shown_);
  for (; version < target_version; ++version) {
    work.exec0(kMigrations[version]);
    work.exec_params("UPDATE riskoff_store SET value = $1 WHERE key = 'schema_version'", std::to_string(version + 1));
  }
  work.commit();
  return version;
}

std::unique_ptr<AuditStore> PgStore::open(const std::string& uri, OpenMode mode, int target_version) {
  const bool may_create = mode == OpenMode::kCreate || mode == OpenMode::kCreateInEmptyFile;
  const bool writable = mode != OpenMode::kReadOnly;
  std::unique_ptr<pqxx::connection> connection;
  try {
    connection = connect_pg(uri, writable);
  } catch (const std::bad_alloc&) {
    throw;
  } catch (const std::exception& e) {
    // Not retried: a wrong URI, host or password should say so at once.
    std::string message = e.what();
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw AuditError(AuditError::Kind::kIo, redact_dsn(uri) + ": cannot connect to PostgreSQL: " + scrub(uri, message));
  }
  auto store = std::make_unique<PgStore>(uri, std::move(connection), writable);
  const int found = store->retrying([&](pqxx::connection& c) {
    pqxx::read_transaction reading(c);
    return read_state(reading, store->shown_);
  });
  if (found < 0 && !may_create) {
    throw AuditError(AuditError::Kind::kIo, store->shown_ + ": no audit store in this database (record a decision with "
                                                            "`riskoff eval --record`, which creates it)");
  }
  if (found > kSchemaVersion) {
    throw AuditError(AuditError::Kind::kNewer, store->shown_ + ": audit store schema version " + std::to_string(found) +
                                                   " is newer than this riskoff's (" + std::to_string(kSchemaVersion) + ")");
  }
  store->version_ = found;
  if (writable && found < target_version) {
    store->version_ = store->retrying([&](pqxx::connection& c) { return store->migrate(c, target_version); });
  }
  return store;
}

}  // namespace riskoff::audit
