// The audit store: every recorded decision (hash-chained), the rulesets they were made under
// (every file of the import closure, canonical text) and the snapshots they were made from
// (canonical JSON, stored once per hash), in one SQLite file or one PostgreSQL database.
// docs/audit.md describes the schema and the chain.
//
// Contract: one AuditStore per thread (connections are not shared); any number of processes
// may write at once (SQLite: WAL, busy timeout, immediate transactions; PostgreSQL: the head
// taken under a transaction-level advisory lock): a record is either fully in, chained to its
// predecessor, or absent. Failures of the host and stores that are
// not riskoff audit stores (another file, a damaged one, a newer schema) throw AuditError
// naming the file; all SQL is parameterised.
//
// Invariant: nothing read from the file is trusted. Every decision read back (list, get,
// export) is checked first against its own hash and its neighbours' links (records.cpp) and
// comes with DecisionRow::tampered saying why it cannot be trusted; ids are checked before any
// arithmetic on them.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "audit/ruleset_text.hpp"
#include "riskoff/result.hpp"

namespace riskoff::audit {

class AuditError : public std::runtime_error {
 public:
  // kIo: cannot open or write the file; kNotAStore: not SQLite or not an audit store;
  // kDamaged: SQLite reports corruption; kNewer: written by a newer riskoff.
  enum class Kind : std::uint8_t { kIo, kNotAStore, kDamaged, kNewer };
  AuditError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// What `eval --record` hands over; the store adds the sequence number, time and hashes.
struct DecisionInput {
  std::string as_of;
  std::string profile;
  std::string action;
  const RulesetText* ruleset = nullptr;
  std::string snapshot_json;  // canonical (adapters::write_snapshot_json)
  std::vector<std::string> overrides;  // `--set` assignments as given, in order
  std::string engine_version;
  std::string trace;  // serialize_trace
  std::string explanation_text;
  std::string explanation_markdown;
  std::string explanation_json;
  // sha256 of each document, when hashed before the writer's lock (digest_documents(), as
  // AuditLog::prepare does); empty: hashed while recording.
  struct Digests {
    std::string snapshot, trace, text, markdown, json;
  } digests;
};

// Fills input.digests, so the one writer only hashes the row itself.
void digest_documents(DecisionInput& input);
// input.digests when filled, else the documents hashed now.
DecisionInput::Digests digests_of(const DecisionInput& input);

struct DecisionRow {
  std::int64_t id = 0;  // the decision id: its position in the chain, from 1
  std::string recorded_at;
  std::string as_of;
  std::string profile;
  std::string action;
  std::string ruleset_hash;
  std::string ruleset_name;
  std::string ruleset_version;
  std::string snapshot_hash;
  std::vector<std::string> overrides;
  std::string engine_version;
  std::string content_hash;
  std::string prev_hash;
  std::string record_hash;
  // Empty: the record verifies (its content hashes to content_hash, record_hash follows from
  // prev_hash, the record before it and the one after it, or the store's head, link to it).
  // Otherwise why it cannot be trusted, in words: "record 2 was edited after it was written:
  // its hash does not match".
  std::string tampered;
};

struct DecisionRecord : DecisionRow {
  std::string trace;
  std::string explanation_text;
  std::string explanation_markdown;
  std::string explanation_json;
};

struct ListFilter {
  std::string from;     // as-of at or after (ISO text, compared as text: same format)
  std::string to;       // as-of at or before
  std::string action;
  std::string ruleset;  // NAME, NAME@VERSION, or a prefix of the ruleset hash
};

struct VerifyReport {
  std::int64_t records = 0;
  std::int64_t head_id = 0;          // the last record's id (0: no records)
  std::string head_hash;             // the last record's hash: keep it elsewhere to anchor the chain
  std::int64_t first_bad = 0;        // id of the first bad record, 0 when none
  std::vector<std::string> problems;  // empty: the store verifies
  // The `-wal` file beside the store before verify: the newest records, not yet in the main
  // file (a copy of the main file alone lacks them). Folded into it when the file can be written.
  std::uintmax_t wal_bytes = 0;
  bool wal_folded = false;
  bool ok() const { return problems.empty(); }
};

struct Published {
  std::string name;
  std::string version;
  std::string hash;
  std::string published_at;
};

// One record of an imported chain, with the documents it names (owned by the caller).
struct VerbatimRecord {
  DecisionRecord record;
  const RulesetText* ruleset = nullptr;
  const std::string* snapshot_json = nullptr;
};

enum class PublishOutcome : std::uint8_t { kPublished, kAlreadyPublished, kConflict };

// The storage interface. Two implementations: SqliteStore (sqlite_store.hpp, the embedded
// default: one file) and PgStore (pg_store.hpp: a PostgreSQL database shared by many
// processes and machines). The chain, the canonical content and the verification walk are the
// same code for both (chain.hpp), so a record is the same bytes in either.
class AuditStore {
 public:
  // The newest schema version, the default target of open(). The numbers mean the same on both
  // backends; versions 3 and 4 (a token per recorded decision and per publication, looked up after
  // a commit whose outcome was unknown: docs/audit.md) are PostgreSQL's alone, so an SQLite store
  // stops at version 2.
  static constexpr int kSchemaVersion = 4;
  static constexpr int kSqliteSchemaVersion = 2;
  static constexpr std::string_view kGenesisHash =
      "0000000000000000000000000000000000000000000000000000000000000000";

  // Opens a store as `mode` says (riskoff/result.hpp) and, unless kReadOnly, applies forward
  // migrations up to `target_version` (tests stop earlier to build old stores; an SQLite store
  // stops at kSqliteSchemaVersion). `location` is a
  // file path (SQLite), or a postgresql:// or postgres:// connection URI (is_postgres_uri). For a
  // file, kExisting on one that cannot be written (read-only file, folder or medium) opens it
  // for reading. Throws AuditError.
  static std::unique_ptr<AuditStore> open(const std::string& location, OpenMode mode, int target_version = kSchemaVersion);
  virtual ~AuditStore() = default;
  AuditStore(const AuditStore&) = delete;
  AuditStore& operator=(const AuditStore&) = delete;

  virtual int schema_version() const = 0;
  // What messages name: the file, or the connection URI without its password.
  virtual const std::string& path() const = 0;

  // False when opened kReadOnly or when the file cannot be written.
  virtual bool writable() const = 0;

  // Appends one decision to the chain; returns its id once committed. Refuses (kDamaged) when
  // the head in riskoff_store is not the last record: a chain is never continued from a head
  // that was edited.
  virtual std::int64_t record(const DecisionInput& input) = 0;
  // Appends several decisions in their order; their ids once committed. SQLite: one transaction
  // for all of them (group commit: all or none). Others by default: record() each in turn (each
  // committed, or the error thrown with those before it in).
  virtual std::vector<std::int64_t> record_batch(const std::vector<const DecisionInput*>& inputs);
  // For a writer that stays open and acknowledges what it appends (`riskoff serve`): from now on
  // every commit is on the disk before record() or record_batch() returns, so an acknowledged
  // record survives a power loss too, not only the process being killed. SQLite: docs/audit.md,
  // "Durable commits". Default (PostgreSQL): nothing to do, its commits are durable by its
  // default (synchronous_commit=on). Throws AuditError.
  virtual void make_commits_durable() {}
  // The same, except that a commit returns once the operating system has its records, and
  // sync_commits() puts on the disk every commit that returned before it was called: a writer
  // appends its next batch while the last one's fsync runs, and acknowledges a record once a
  // sync_commits() called after its commit has returned. Default (PostgreSQL): nothing to do.
  virtual void make_commits_durable_on_sync() {}
  // Thread-safe, also while another thread appends: it touches no connection state. A failure
  // is AuditError(kIo); the commits it was to sync may or may not be on the disk.
  virtual void sync_commits() const {}
  // Appends records exported from another store (`audit import`) as they were: same ids, times
  // and hashes, all in one transaction (all of them or none). Each only onto the record before
  // it (its prev_hash is the head hash and its id the next one) and only when its hashes verify;
  // its ruleset and snapshot must hash to their keys. Throws AuditError(kDamaged) naming why
  // otherwise, having written nothing.
  virtual void append_verbatim(const std::vector<VerbatimRecord>& chain) = 0;
  // Each row checked (DecisionRow::tampered), oldest first.
  std::vector<DecisionRow> list(const ListFilter& filter) const;
  // The record, checked (DecisionRow::tampered): callers refuse a tampered one.
  std::optional<DecisionRecord> get(std::int64_t id) const;
  // The lowest and highest decision id ({0, 0} when none): for "ids 1..4" in messages.
  virtual std::pair<std::int64_t, std::int64_t> id_range() const = 0;
  virtual std::optional<std::string> snapshot_json(const std::string& hash) const = 0;
  virtual std::vector<RulesetFile> ruleset_files(const std::string& hash) const = 0;
  // SQLite: also folds the WAL into the main file, so a verified store is one self-contained file.
  virtual VerifyReport verify() const = 0;
  // One JSON object per decision and line, oldest first; a tampered record is exported with
  // "tampered": true and why. Returns how many were tampered.
  std::int64_t export_jsonl(std::ostream& out) const;

  // The ruleset registry (schema version 2).
  virtual PublishOutcome publish(const RulesetText& ruleset, std::string& existing_hash) = 0;
  std::vector<Published> published() const;
  // `version` empty: the highest semantic version of `name`.
  std::optional<Published> find_published(const std::string& name, const std::string& version) const;

  // The one path by which decisions are read back: every decision the filter selects (`id` 0:
  // any), oldest first, each with its documents and checked against its hash and its
  // neighbours' links (DecisionRow::tampered), all of one moment even while writers append.
  // Handed to `visit` one at a time as they are read, so a long chain is never held whole
  // (SQLite steps one statement; PostgreSQL reads batches of rows in one snapshot).
  virtual void each_record(const ListFilter& filter, std::int64_t id,
                           const std::function<void(DecisionRecord&&)>& visit) const = 0;
  // each_record's records gathered: for a few (one id, a filter over a day).
  std::vector<DecisionRecord> read_records(const ListFilter& filter, std::int64_t id) const;

 protected:
  AuditStore() = default;
  // Every published version, in any order (published() sorts).
  virtual std::vector<Published> published_unsorted() const = 0;
};

// True for a postgresql:// or postgres:// URI: such a --db selects the PostgreSQL backend.
bool is_postgres_uri(const std::string& location);

// $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite, else ~/.local/share/riskoff/audit.sqlite.
std::string default_store_path();

}  // namespace riskoff::audit
