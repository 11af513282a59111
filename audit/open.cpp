// Opening an audit store: what the file is (an audit store, another file, an empty one),
// reading it where it cannot be written (read-only folders and media), creating a new store
// so that it appears whole or not at all, and the forward migrations.
#include <SQLiteCpp/SQLiteCpp.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "audit/store.hpp"
#include "audit/sqlite_store.hpp"

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
static_assert(std::size(kMigrations) == AuditStore::kSqliteSchemaVersion);

// The page size of a new store (create_new_store).
constexpr int kPageSize = 16384;

// What the file holds, in as few statements as possible (each costs a parse at every open):
// `empty` when it has no tables at all; else the schema version of an audit store. Throws
// AuditError for anything else.
int read_state(SqliteStore::Impl& impl, bool& empty) {
  SQLite::Statement tables(impl.db, "SELECT count(*), coalesce(sum(name = 'riskoff_store'), 0) FROM sqlite_master");
  tables.executeStep();
  empty = tables.getColumn(0).getInt() == 0;
  if (empty) return 0;
  if (tables.getColumn(1).getInt() == 0) {
    throw AuditError(AuditError::Kind::kNotAStore, impl.path + ": not a riskoff audit store (no riskoff_store table)");
  }
  SQLite::Statement meta(impl.db,
                         "SELECT (SELECT value FROM riskoff_store WHERE key = 'store'),"
                         " (SELECT value FROM riskoff_store WHERE key = 'schema_version')");
  meta.executeStep();
  if (meta.getColumn(0).getString() != "audit") {
    throw AuditError(AuditError::Kind::kNotAStore,
                     impl.path + ": a riskoff store, but not an audit store (a history store? see `riskoff data`)");
  }
  return parse_version(impl.path, meta.getColumn(1).getString());
}

// Creates the store's tables (when the file is empty) and applies the missing migrations, under
// one write lock, re-reading the version inside it: another process may be doing the same.
int initialize(SqliteStore::Impl& impl, int target_version) {
  SQLite::Transaction transaction(impl.db, SQLite::TransactionBehavior::IMMEDIATE);
  bool empty = false;
  int version = read_state(impl, empty);
  if (empty) {
    impl.db.exec("CREATE TABLE riskoff_store (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    set_meta(impl.db, "store", "audit");
    set_meta(impl.db, "schema_version", "0");
    version = 0;
  }
  for (; version < target_version; ++version) {
    impl.db.exec(kMigrations[version]);
    set_meta(impl.db, "schema_version", std::to_string(version + 1));
  }
  transaction.commit();
  return version;
}

// A file: URI for SQLite, every byte outside the unreserved set percent-encoded.
std::string file_uri(const std::string& path, const char* query) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file:";
  for (const unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '/' || c == '-' || c == '_' || c == '.' || c == '~') {
      uri += static_cast<char>(c);
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 15];
    }
  }
  return uri + query;
}

// SQLite's answer when a WAL store's -shm file cannot be created or written (a read-only
// folder): SQLITE_CANTOPEN, or SQLITE_READONLY with an extended code (CANTINIT, DIRECTORY).
bool cannot_share_wal(const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xff;
  return code == SQLITE_CANTOPEN || code == SQLITE_READONLY;
}

// Opens the file for reading only. A WAL store needs its -shm file, which SQLite cannot create
// in a read-only folder (an archive, read-only media): then, and only when no WAL holds records
// the main file lacks, it is opened immutable (no locks, no -shm; nothing may be writing it).
std::unique_ptr<SqliteStore::Impl> connect_read_only(const std::string& path) {
  auto impl = std::make_unique<SqliteStore::Impl>(path, path, SQLite::OPEN_READONLY);
  impl->writable = false;
  try {
    impl->db.exec("SELECT count(*) FROM sqlite_master");
    return impl;
  } catch (const SQLite::Exception& e) {
    if (!cannot_share_wal(e)) throw;
  }
  std::error_code ec;
  const auto wal = std::filesystem::file_size(path + "-wal", ec);
  if (!ec && wal > 0) {
    throw AuditError(AuditError::Kind::kIo, path + ": cannot be read here: " + path + "-wal holds its newest records, and "
                                                "SQLite cannot create " + path + "-shm to read them (read-only folder); "
                                                "copy the files to a writable folder, or run `riskoff audit verify` where "
                                                "the store was written (it folds the WAL in) before archiving");
  }
  impl = std::make_unique<SqliteStore::Impl>(path, file_uri(path, "?immutable=1"), SQLite::OPEN_READONLY | SQLite::OPEN_URI);
  impl->writable = false;
  return impl;
}

// Opens the file as `mode` says: for reading only (kReadOnly), else for reading and writing.
// One that cannot be written (read-only file, folder or medium) is opened for reading, marked
// not writable: record() then refuses naming the file, and nothing migrates it.
std::unique_ptr<SqliteStore::Impl> connect(const std::string& path, OpenMode mode) {
  if (mode == OpenMode::kReadOnly) return connect_read_only(path);
  auto impl = std::make_unique<SqliteStore::Impl>(path, path, SQLite::OPEN_READWRITE);
  bool read_only = sqlite3_db_readonly(impl->db.getHandle(), "main") == 1;
  if (!read_only) {
    try {
      impl->db.exec("SELECT count(*) FROM sqlite_master");
    } catch (const SQLite::Exception& e) {
      // A writable file in a read-only folder: the -shm file cannot be made.
      if (!cannot_share_wal(e)) throw;
      read_only = true;
    }
  }
  if (read_only) return connect_read_only(path);
  return impl;
}

// A new store appears whole or not at all: it is built in a file of its own beside `path`
// and linked into place, which fails when `path` exists. So an empty file at `path` is never a
// store being created by another riskoff, and several processes may create the same store at
// once (the first link wins; the others open it).
void create_new_store(const std::string& path, int target_version) {
  static std::atomic<unsigned> counter{0};
  const std::string building = path + ".new-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  const int fd = ::open(building.c_str(), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0666);
  if (fd < 0) throw AuditError(AuditError::Kind::kIo, path + ": cannot create the store: " + std::strerror(errno));
  ::close(fd);
  auto remove_building = [&] {
    std::error_code ignored;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(building + suffix, ignored);
  };
  try {
    {
      SqliteStore::Impl impl(building, building, SQLite::OPEN_READWRITE);
      // A record is about 30 KB (its trace and three renderings): on SQLite's default 4 KiB
      // pages that is eight pages, each two writes to the WAL and a read and a write when it is
      // folded, about 31 system calls per record; on 16 KiB pages about 10, and a server's
      // recorded request cost about 5% less CPU. Set before the first table: a store keeps the
      // page size it was made with (older stores keep 4 KiB).
      impl.db.exec("PRAGMA page_size=" + std::to_string(kPageSize));
      impl.db.exec("PRAGMA journal_mode=WAL");
      initialize(impl, target_version);
    }  // closed: everything is in the main file
    // Filesystems without hard links: a rename that refuses to replace, just as atomic.
    if (::link(building.c_str(), path.c_str()) != 0 && errno != EEXIST &&
        ::renameat2(AT_FDCWD, building.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0 && errno != EEXIST) {
      const std::string reason = std::strerror(errno);
      remove_building();
      throw AuditError(AuditError::Kind::kIo, path + ": cannot create the store: " + reason);
    }
  } catch (const SQLite::Exception& e) {
    remove_building();
    throw translate(path, e);
  }
  remove_building();
}

}  // namespace

std::unique_ptr<AuditStore> SqliteStore::open(const std::string& path, OpenMode mode, int target_version) {
  target_version = std::min(target_version, kSqliteSchemaVersion);  // versions 3 and 4 are PostgreSQL's alone
  const bool may_create = mode == OpenMode::kCreate || mode == OpenMode::kCreateInEmptyFile;
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (!may_create) {
      throw AuditError(AuditError::Kind::kIo, path + ": no audit store here (record a decision with `riskoff eval --record`)");
    }
    const auto parent = std::filesystem::path(path).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
    create_new_store(path, target_version);
  }
  try {
    auto impl = connect(path, mode);  // with its busy timeout (sqlite_store.hpp)
    impl->db.exec("PRAGMA foreign_keys=ON");
    bool empty = false;
    int version = read_state(*impl, empty);
    if (empty && mode != OpenMode::kCreateInEmptyFile) {
      // Never taken for a new store on its own: it may be a store that lost its content, and a
      // new chain from record 1 in it would hide that.
      throw AuditError(AuditError::Kind::kNotAStore,
                       path + ": empty file, not a riskoff audit store (truncated?)" +
                           (may_create ? "; to start a new store in it, give --create" : ""));
    }
    if (version > kSqliteSchemaVersion) {
      throw AuditError(AuditError::Kind::kNewer, path + ": audit store schema version " + std::to_string(version) +
                                                     " is newer than this riskoff's (" + std::to_string(kSqliteSchemaVersion) + ")");
    }
    if (impl->writable) {
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
      if (empty || version < target_version) version = initialize(*impl, target_version);
    } else if (mode != OpenMode::kReadOnly && version < target_version) {
      throw AuditError(AuditError::Kind::kIo, path + ": cannot be written here (read-only), and its schema version " +
                                                  std::to_string(version) + " needs migrating to " +
                                                  std::to_string(target_version) + ": open it once where it can be written");
    }
    impl->version = version;
    return std::make_unique<SqliteStore>(std::move(impl));
  } catch (const SQLite::Exception& e) {
    throw translate(path, e);
  }
}

}  // namespace riskoff::audit
