// The decision log: every recorded decision with the ruleset closure and snapshot it was made
// from, hash-chained so that any edit, deletion or reordering is found (docs/audit.md). What
// `riskoff eval --record` writes and `riskoff audit ...` reads; an embedder records and reads
// the same file the same way.
//
//   auto log = riskoff::AuditLog::open("audit.sqlite", riskoff::OpenMode::kCreate);
//   if (!log) return print(log.error());
//   auto id = log->record(*decision, snapshot_bytes);
//   auto report = log->recheck(*id);  // decided again from the store alone: same action? same trace?
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "riskoff/export.h"
#include "riskoff/result.hpp"
#include "riskoff/riskoff.hpp"

namespace riskoff {

// $RISKOFF_DB, else $XDG_DATA_HOME/riskoff/audit.sqlite, else ~/.local/share/riskoff/audit.sqlite:
// the store the command line uses when no --db is given. Throws only std::bad_alloc.
RISKOFF_API std::string default_audit_path();

// One recorded decision as `audit list` shows it. A plain value; times are
// "YYYY-MM-DDTHH:MM:SSZ", hashes are 64 lowercase hex digits.
struct DecisionEntry {
  std::int64_t id = 0;                 // its position in the chain, from 1
  std::string recorded_at;
  std::string as_of;
  std::string profile;
  std::string action;
  std::string ruleset_name;            // from the ruleset's header; empty without one
  std::string ruleset_version;
  std::string ruleset_hash;            // Ruleset::content_hash() of the closure it was made under
  std::string snapshot_hash;
  std::vector<std::string> overrides;  // "NAME=VALUE", as given, in order
  std::string engine_version;          // the riskoff that recorded it
  std::string record_hash;             // its link in the chain
  // Nothing read from the store is trusted: each entry is checked against its own hash and
  // its neighbours' links before it is returned. True: it was edited after it was written (or
  // the chain around it was), `problem` says how; list() and export_jsonl() show it flagged,
  // get(), recheck() and diff() refuse it.
  bool tampered = false;
  std::string problem;                 // "record 2 was edited after it was written: its hash does not match"
};

// One recorded decision in full: what was shown when it was recorded, and its trace
// (`riskoff.trace/1`, canonical JSON: one value per plan node). A plain value.
struct DecisionRecord : DecisionEntry {
  std::string explanation_text;
  std::string explanation_markdown;
  std::string explanation_json;
  std::string trace;
};

// Which decisions list() returns; every field set narrows it. Fields default to {} so that
// designated initializers may name any of them: log.list({.from = riskoff::parse_time("2026-02-01")}).
struct DecisionFilter {
  std::optional<std::int64_t> from{};  // as-of at or after (seconds since 1970, UTC)
  std::optional<std::int64_t> to{};    // as-of at or before
  std::string action{};                // only this action (as recorded: "hedge", "reduce", "wait")
  std::string ruleset{};               // NAME, NAME@VERSION or a prefix of the ruleset hash
};

// What recheck() found: the recorded decision made again, through decide(), from the store
// alone (its ruleset closure compiled again, its snapshot, profile and overrides). A plain value.
struct RecheckReport {
  DecisionEntry recorded;
  std::string action;                     // the action decided now
  bool same_action = false;
  bool trace_identical = false;           // byte for byte
  bool explanation_identical = false;     // the JSON rendering, byte for byte
  std::size_t trace_bytes = 0;            // the new trace's size
  std::size_t node_values = 0;            // values in the new trace (one per plan node)
  std::vector<std::string> trace_differences;  // in words, at most 40 lines; empty when identical
  bool ok() const { return trace_identical && explanation_identical; }
};

// What verify() found. ok(): the chain is intact (and holds the anchored head when one was
// given). A plain value.
struct VerifyReport {
  std::int64_t records = 0;
  std::int64_t head_id = 0;           // the last record's id (0: none)
  std::string head_hash;              // the last record's hash: keep "ID:HASH" elsewhere to anchor the chain
  std::int64_t first_bad = 0;         // id of the first bad record; 0 when none
  std::vector<std::string> problems;  // one line each; empty when the store verifies
  // The `-wal` file beside the store before verify, in bytes: its newest records, which a copy
  // of the main file alone lacks. `wal_folded`: verify folded them into the main file (it does
  // when the file can be written), which is now the whole store.
  std::uintmax_t wal_bytes = 0;
  bool wal_folded = false;
  bool ok() const { return problems.empty(); }
};

// What import_chain() did. A plain value.
struct ImportReport {
  std::int64_t imported = 0;  // records appended now
  std::int64_t present = 0;   // records the store already held, the same (an import run again)
  VerifyReport verified;      // the whole chain verified on arrival: ok() or not
};

// What changed between two recorded decisions (AuditLog::diff): the fields of each record side
// by side, each input whose last observation differs, each signal, group, driver, check and
// regime whose value differs (lets are left out: they move every day, and the conditions show
// what their moves did). render() gives the words `riskoff audit diff` prints. A plain value.
//
//   auto changes = log->diff(41, 42);
//   if (changes && changes->action.changed()) std::cout << riskoff::render(*changes);
struct FieldChange {
  std::string before, after;  // as shown; the same text when the field did not change
  bool changed() const { return before != after; }
};
// How an input or condition differs: its value changed, or it is on one side only.
enum class ChangeSign : std::uint8_t { kChanged = 0, kRemoved = 1, kAdded = 2 };
// Its mark in the words and in `riskoff serve`'s JSON: "~", "-", "+".
RISKOFF_API const char* change_mark(ChangeSign sign);
struct InputChange {
  ChangeSign sign = ChangeSign::kChanged;
  std::string input;
  std::string before, after;  // "4.31% at 2026-02-04T21:00:00Z" or "no observations"; empty on the side it is missing from
};
struct ConditionChange {
  ChangeSign sign = ChangeSign::kChanged;
  std::string kind;           // "signal", "group", "driver", "check", "regime", as traced
  std::string name;
  std::string before, after;  // its traced value ("true", "false", "unknown", a regime's name); empty on the missing side
};
struct RecordDiff {
  std::int64_t first = 0, second = 0;  // the ids
  FieldChange action, as_of, profile;
  FieldChange ruleset;    // "NAME VERSION (first 12 digits of its sha256)"
  FieldChange overrides;  // "NAME=VALUE ..." or "none"
  std::size_t inputs_unchanged = 0;
  std::vector<InputChange> inputs;  // in name order: the changed and removed, then the added
  std::size_t conditions_unchanged = 0;
  std::vector<ConditionChange> conditions;  // in the first's plan order, then the added in the second's
};
// The words of `riskoff audit diff FIRST SECOND`. Throws only std::bad_alloc.
RISKOFF_API std::string render(const RecordDiff& diff);

// An open audit store: a decision log in one SQLite file, or in a PostgreSQL database when the
// path is a postgresql:// (or postgres://) URI, such as
// "postgresql://riskoff@db.example/audit?sslmode=require" (the password best kept out of it: in
// PGPASSWORD or ~/.pgpass; messages show the URI with any password as ***). Move-only handle (pimpl) owning one
// SQLite connection, closed when the handle goes; a moved-from handle may only be assigned to or
// destroyed.
//
// Threads: one AuditLog per thread, as connections are not to be shared; open the same file or
// database from as many threads, processes (and, for PostgreSQL, machines) as needed: writers
// queue (SQLite: WAL, busy timeout; PostgreSQL: an advisory lock on the chain's head), and a
// record is either fully in, chained to its predecessor, or absent. A PostgreSQL writer whose
// connection breaks (a server restart) reconnects with backoff for up to 30 s.
//
// Errors are values: ErrorKind::kIo when the file cannot be opened, read or written;
// ErrorKind::kStore when it is not a riskoff audit store, is damaged or was written by a newer
// riskoff, or when a decision asked for is not in it. Messages name the file. The functions
// below throw only std::bad_alloc.
// A decision made ready to append to an audit log (AuditLog::prepare): its trace serialised, its
// text, markdown and JSON renderings made and every document hashed. What a writer then does
// under its lock is the append alone. Move-only; keeps what it needs of the decision alive.
class RISKOFF_API PreparedRecord {
 public:
  PreparedRecord(PreparedRecord&& other) noexcept;
  PreparedRecord& operator=(PreparedRecord&& other) noexcept;
  ~PreparedRecord();

  struct Impl;

 private:
  friend class AuditLog;
  explicit PreparedRecord(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class RISKOFF_API AuditLog {
 public:
  static Result<AuditLog> open(const std::string& path, OpenMode mode = OpenMode::kExisting);
  AuditLog(AuditLog&& other) noexcept;
  AuditLog& operator=(AuditLog&& other) noexcept;
  ~AuditLog();

  const std::string& path() const;
  int schema_version() const;

  // Appends a decision: its ruleset closure (canonical text), the snapshot as given (the bytes
  // it was read from, or Snapshot::to_json()), profile, overrides, trace and its text, markdown
  // and JSON renderings (ask decide() for them in DecideOptions::renderings to render once).
  // Returns its id once committed. Precondition: decision.has_trace(), else ErrorKind::kUsage.
  Result<std::int64_t> record(const Decision& decision, std::string_view snapshot_bytes);
  // record() in two steps, for a writer shared by threads (`riskoff serve`): prepare() the
  // decision on the caller's thread (no store touched; thread-safe), then append() what several
  // threads prepared, in the given order. SQLite appends them in one transaction (group commit:
  // the ids once all are committed, or an error and none of them in); PostgreSQL commits each in
  // turn. Same preconditions and errors as record().
  //   auto ready = riskoff::AuditLog::prepare(*decision, snapshot_bytes);
  //   auto ids = log->append({&*ready});
  static Result<PreparedRecord> prepare(const Decision& decision, std::string_view snapshot_bytes);
  Result<std::vector<std::int64_t>> append(const std::vector<const PreparedRecord*>& records);
  // For a process that keeps this log open and acknowledges each record it appends (`riskoff
  // serve`): from now on a record is on the disk (fsync) before record() or append() returns, so
  // what was acknowledged survives a power loss, not only the process being killed. By default a
  // commit reaches the operating system only, and the disk at the next fold of the WAL. Costs one
  // fsync per commit (per batch for append()); docs/audit.md, "Durable commits". PostgreSQL's
  // commits are durable already. A store opened read-only is left as it is.
  Result<std::monostate> make_commits_durable();
  // The same durability with the fsync taken out of the commit, for a writer that appends its
  // next batch while the last one's fsync runs (`riskoff serve`): append() returns once the
  // operating system has the records, and sync_commits() puts on the disk every record whose
  // append() (or record()) had returned when it was called. Acknowledge a record only after such a
  // sync_commits() has returned. sync_commits() is thread-safe, also while another thread
  // appends on this log (it flushes the WAL's file, not the connection); PostgreSQL's commits
  // are durable already and its sync_commits() does nothing. kIo when the disk refuses.
  Result<std::monostate> make_commits_durable_on_sync();
  Result<std::monostate> sync_commits() const;
  // Oldest first.
  Result<std::vector<DecisionEntry>> list(const DecisionFilter& filter = {}) const;
  // A decision the caller names by id; one not in the store is ErrorKind::kStore, its message
  // naming the ids there are ("no decision 9 in audit.sqlite (ids 1..4)"); so is a tampered one
  // ("record 2 was edited after it was written: its hash does not match").
  Result<DecisionRecord> get(std::int64_t id) const;
  // Decides again from the store alone and compares. Whatever does not rebuild or decide (a
  // tampered record, a missing or edited ruleset, a snapshot that no longer reads) is
  // ErrorKind::kStore, its message starting "decision ID: ".
  Result<RecheckReport> recheck(std::int64_t id) const;
  // Checks the hash chain (and folds the WAL into the file when it can be written, so a
  // verified store is one file). `anchored_head`, when not empty, is a head printed by an
  // earlier verify or record, "ID:HASH" (or the HASH alone): record ID must still be in the
  // chain with that hash. That is what finds a copy that lost its newest records (made without
  // its -wal file) or a chain rewritten from before it, both of which verify on their own. One
  // that is not of that form is ErrorKind::kUsage.
  Result<VerifyReport> verify(std::string_view anchored_head = {}) const;
  // What changed between two decisions (`riskoff audit diff`, in words through render()):
  // action, ruleset, overrides, inputs, and every signal and group whose truth changed. Tampered
  // records are refused, as by get(); a stored snapshot or trace that does not read is kStore.
  Result<RecordDiff> diff(std::int64_t first, std::int64_t second) const;
  // Every decision as one JSON object per line, oldest first (trace and explanation included);
  // a tampered one with "tampered": true and its "problem". Returns how many decisions were
  // written; a stream that fails is the caller's to check.
  Result<std::int64_t> export_jsonl(std::ostream& out) const;
  // The chain as stored, to move it to another store (SQLite to PostgreSQL or back): every field
  // of every record, with the ruleset closures and snapshots they name, one JSON object per line
  // (riskoff.audit-chain/1, docs/audit.md). Returns how many records were written.
  Result<std::int64_t> export_chain(std::ostream& out) const;
  // Appends a chain written by export_chain() (read from `in`, named `source` in messages) after
  // this store's head, each record as it was (same id, time and hashes) and only when it verifies
  // and continues the chain; records already here and the same are skipped. Then verifies the
  // whole chain (ImportReport::verified). A line not of the format, a record that does not
  // verify or continue the chain, or a chain other than the one this store holds is
  // ErrorKind::kStore, naming the line; records before it stay imported.
  Result<ImportReport> import_chain(std::istream& in, std::string_view source);

  struct Impl;

 private:
  explicit AuditLog(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace riskoff
