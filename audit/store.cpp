// The SQLite backend: recording (immediate transactions, chained onto a checked head) and the
// stored documents.
#include "audit/sqlite_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
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
// The same for a durable writer (make_commits_durable): it stays open, so no later opener
// re-reads its WAL, and a fold costs two fsyncs whatever its size: about 280 records.
constexpr std::int64_t kDurableWalCheckpointBytes = 8 << 20;

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


std::int64_t SqliteStore::record(const DecisionInput& input) { return record_batch({&input}).front(); }

std::vector<std::int64_t> SqliteStore::record_batch(const std::vector<const DecisionInput*>& inputs) {
  if (!impl_->writable) {
    throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot be written (opened read-only, or a read-only file or folder)");
  }
  std::vector<std::int64_t> ids;
  if (inputs.empty()) return ids;
  try {
    // A durable writer's fold made due by the batch before: run now, so it never delayed the
    // answers to that batch (fold_wal_when_large).
    if (impl_->fold_due) fold_wal();
    // One transaction for the batch: one head check and one commit (one WAL append) for all.
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    auto [id, prev_hash] = checked_head();
    // Requests mostly share the ruleset and often the snapshot, within a batch and from one
    // batch to the next: each stored once.
    std::string stored_ruleset = impl_->committed_ruleset;
    std::string stored_snapshot = impl_->committed_snapshot;
    for (const DecisionInput* input : inputs) {
      if (stored_ruleset != input->ruleset->hash) store_ruleset(impl_->db, *input->ruleset);
      stored_ruleset = input->ruleset->hash;
      const DecisionRow row = chained_row(*input, id, prev_hash);
      if (row.snapshot_hash != stored_snapshot) {
        auto& add_snapshot = impl_->statement(impl_->add_snapshot, "INSERT OR IGNORE INTO snapshots (hash, json) VALUES (?, ?)");
        add_snapshot.bind(1, row.snapshot_hash);
        add_snapshot.bindNoCopy(2, input->snapshot_json);  // outlives the statement's run, as in append_row
        add_snapshot.exec();
        add_snapshot.reset();
        stored_snapshot = row.snapshot_hash;
      }
      append_row(row, input->trace, input->explanation_text, input->explanation_markdown, input->explanation_json);
      ids.push_back(id);
      ++id;
      prev_hash = row.record_hash;
    }
    transaction.commit();
    impl_->committed_ruleset = std::move(stored_ruleset);
    impl_->committed_snapshot = std::move(stored_snapshot);
    fold_wal_when_large();
    return ids;
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

void SqliteStore::append_verbatim(const std::vector<VerbatimRecord>& chain) {
  if (!impl_->writable) {
    throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot be written (opened read-only, or a read-only file or folder)");
  }
  try {
    // One transaction for the whole chain: a record refused part-way rolls back those before it.
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement add_snapshot(impl_->db, "INSERT OR IGNORE INTO snapshots (hash, json) VALUES (?, ?)");
    for (const auto& [record, ruleset, snapshot_json] : chain) {
      const auto [id, prev_hash] = checked_head();
      check_verbatim(impl_->path, record, id, prev_hash, *ruleset, *snapshot_json);
      store_ruleset(impl_->db, *ruleset);
      add_snapshot.bind(1, record.snapshot_hash);
      add_snapshot.bind(2, *snapshot_json);
      add_snapshot.exec();
      add_snapshot.reset();
      append_row(record, record.trace, record.explanation_text, record.explanation_markdown, record.explanation_json);
    }
    transaction.commit();
    fold_wal_when_large();
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::pair<std::int64_t, std::string> SqliteStore::checked_head() {
  // The head must be the last record: a chain is never continued from a head that was
  // edited (record -4 after a head of -5) or that lost its records.
  auto& head = impl_->statement(impl_->head,
                                "SELECT (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
                                " (SELECT value FROM riskoff_store WHERE key = 'head_hash'),"
                                " (SELECT id FROM decisions ORDER BY id DESC LIMIT 1),"
                                " (SELECT record_hash FROM decisions ORDER BY id DESC LIMIT 1)");
  head.executeStep();
  const std::string head_text = head.getColumn(0).getString();
  const std::string head_hash = head.getColumn(1).getString();
  std::optional<std::pair<std::int64_t, std::string>> last;
  if (!head.getColumn(2).isNull()) last.emplace(head.getColumn(2).getInt64(), head.getColumn(3).getString());
  // Finish the read now: a statement left mid-step holds a read lock on the WAL, and the
  // checkpoint after the commit could then never truncate it (the WAL grew without bound and
  // every later open re-read all of it).
  head.reset();
  return {next_record_id(impl_->path, head_text, head_hash, last), head_hash};
}

void SqliteStore::append_row(const DecisionRow& row, const std::string& trace, const std::string& text,
                             const std::string& markdown, const std::string& json) {
  auto& add = impl_->statement(impl_->add_decision,
                               "INSERT INTO decisions (id, recorded_at, as_of, profile, action, ruleset_hash, snapshot_hash,"
                               " overrides, engine_version, trace, explanation_text, explanation_markdown, explanation_json,"
                               " content_hash, prev_hash, record_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  add.bind(1, row.id);
  add.bind(2, row.recorded_at);
  add.bind(3, row.as_of);
  add.bind(4, row.profile);
  add.bind(5, row.action);
  add.bind(6, row.ruleset_hash);
  add.bind(7, row.snapshot_hash);
  add.bind(8, overrides_json(row.overrides));
  add.bind(9, row.engine_version);
  // The large documents are not copied: they outlive the statement's run (reset just after).
  add.bindNoCopy(10, trace);
  add.bindNoCopy(11, text);
  add.bindNoCopy(12, markdown);
  add.bindNoCopy(13, json);
  add.bind(14, row.content_hash);
  add.bind(15, row.prev_hash);
  add.bind(16, row.record_hash);
  add.exec();
  add.reset();
  auto& move_head =
      impl_->statement(impl_->move_head, "INSERT OR REPLACE INTO riskoff_store (key, value) VALUES ('head_id', ?), ('head_hash', ?)");
  move_head.bind(1, std::to_string(row.id));
  move_head.bind(2, row.record_hash);
  move_head.exec();
  move_head.reset();
}

SqliteStore::~SqliteStore() {
  // Best effort, as any fold: the records are committed whether or not it runs.
  if (impl_ && impl_->durable) impl_->db.tryExec("PRAGMA wal_checkpoint(TRUNCATE)");
}

void SqliteStore::make_commits_durable() {
  // FULL in WAL mode fsyncs the WAL at every commit, so COMMIT returns only once
  // the records are on the disk. NORMAL (what open() sets) leaves them to the operating
  // system until the next fold: safe against a killed process, not against a power loss.
  fold_by_frames("FULL");
}

void SqliteStore::make_commits_durable_on_sync() {
  // NORMAL: COMMIT writes the WAL and returns; sync_commits() fsyncs it. A fold still syncs the
  // WAL before copying it and the file after (what NORMAL does at a checkpoint).
  fold_by_frames("NORMAL");
}

void SqliteStore::fold_by_frames(const char* synchronous) {
  if (!impl_->writable) return;  // never commits
  try {
    impl_->db.exec(std::string("PRAGMA synchronous=") + synchronous);
    SQLite::Statement page_size(impl_->db, "PRAGMA page_size");
    if (page_size.executeStep()) impl_->page_size = page_size.getColumn(0).getInt64();
    // The WAL's file is kept at its size from one fold to the next and overwritten in place
    // (RESTART, not TRUNCATE: see fold_wal_when_large), so a commit's fsync flushes data into
    // blocks the file already has instead of growing it, which also journals its size; past
    // twice the fold size (a fold held off by a long read) it is cut back when it restarts.
    impl_->db.exec("PRAGMA journal_size_limit=" + std::to_string(2 * kDurableWalCheckpointBytes));
    sqlite3_wal_hook(
        impl_->db.getHandle(),
        [](void* impl, sqlite3*, const char*, int frames) {
          static_cast<Impl*>(impl)->wal_frames = frames;
          return SQLITE_OK;
        },
        impl_.get());
    impl_->durable = true;
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

// The WAL file as sync_commits() holds it open: its descriptor, and which file it is.
struct SqliteStore::Impl::WalFile {
  int descriptor = -1;
  dev_t device = 0;
  ino_t inode = 0;
  WalFile() = default;
  WalFile(const WalFile&) = delete;
  WalFile& operator=(const WalFile&) = delete;
  ~WalFile() {
    if (descriptor >= 0) ::close(descriptor);
  }
};

void SqliteStore::sync_commits() const {
  if (!impl_->durable || !impl_->writable) return;
  const std::string wal_path = impl_->path + "-wal";
  std::shared_ptr<const Impl::WalFile> wal;
  {
    const std::lock_guard lock(impl_->wal_file_mutex);
    // The writer keeps its WAL file (PERSIST_WAL, never deleted while it is open), so this is
    // the file opened last time but for a store whose WAL another process removed.
    struct stat now {};
    if (::stat(wal_path.c_str(), &now) != 0) {
      throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot find its WAL file to sync: " + std::strerror(errno));
    }
    if (!impl_->wal_file || impl_->wal_file->device != now.st_dev || impl_->wal_file->inode != now.st_ino) {
      auto opened = std::make_shared<Impl::WalFile>();
      opened->descriptor = ::open(wal_path.c_str(), O_RDONLY | O_CLOEXEC);
      if (opened->descriptor < 0 || ::fstat(opened->descriptor, &now) != 0) {
        throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot open its WAL file to sync: " + std::strerror(errno));
      }
      opened->device = now.st_dev;
      opened->inode = now.st_ino;
      // A new file's name is on the disk once its folder is synced (SQLite does the same on the
      // first sync of a WAL it created).
      const std::string folder = std::filesystem::path(impl_->path).parent_path().string();
      const int directory = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
      if (directory >= 0) {
        ::fsync(directory);
        ::close(directory);
      }
      impl_->wal_file = std::move(opened);
    }
    wal = impl_->wal_file;
  }
  // Outside the lock: syncs on several threads overlap, each flushing whatever the WAL holds.
  if (::fdatasync(wal->descriptor) != 0) {
    throw AuditError(AuditError::Kind::kIo, impl_->path + ": cannot sync its WAL to the disk: " + std::strerror(errno));
  }
}

void SqliteStore::fold_wal_when_large() {
  if (impl_->durable) {
    // The file's size says nothing here (it is kept); the frames written since the WAL last
    // restarted do. The fold waits for the next batch: the records just committed are on the
    // disk and their callers answer now, not after a fold of 8 MiB (two fsyncs and the copy,
    // tens of milliseconds under load, which every request of the batch waited for).
    impl_->fold_due = impl_->wal_frames * impl_->page_size > kDurableWalCheckpointBytes;
    return;
  }
  std::error_code ec;
  if (std::filesystem::file_size(impl_->path + "-wal", ec) > kWalCheckpointBytes && !ec) {
    // TRUNCATE: the WAL starts again from nothing, so no later opener re-reads old frames.
    // Best effort: a busy store checkpoints at a later record; the record is committed anyway.
    impl_->db.tryExec("PRAGMA wal_checkpoint(TRUNCATE)");
  }
}

void SqliteStore::fold_wal() {
  // RESTART: the next commit writes the WAL again from its start. Best effort, as every fold:
  // one a long read held off leaves the WAL's frames counted, and the next commit makes it due.
  impl_->fold_due = false;
  impl_->db.tryExec("PRAGMA wal_checkpoint(RESTART)");
}

std::optional<std::string> SqliteStore::snapshot_json(const std::string& hash) const {
  try {
    SQLite::Statement query(impl_->db, "SELECT json FROM snapshots WHERE hash = ?");
    query.bind(1, hash);
    if (!query.executeStep()) return std::nullopt;
    return query.getColumn(0).getString();
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::vector<RulesetFile> SqliteStore::ruleset_files(const std::string& hash) const {
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

}  // namespace riskoff::audit
