// The PostgreSQL backend (pg_store.hpp): recording under the chain lock, reading back (checked
// by chain.hpp, as for SQLite), verify, export's source and the registry.
#include <pqxx/pqxx>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "audit/pg_store.hpp"
#include "support/sha256.hpp"

namespace riskoff::audit {

namespace {

// A read-only transaction in which every statement sees the same snapshot: verify's records,
// documents, registry and head are of one moment even while writers append.
using Snapshot = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// The decision columns every listing selects, in this order, then the four documents.
constexpr const char* kColumns =
    "d.id, d.recorded_at, d.as_of, d.profile, d.action, d.ruleset_hash, coalesce(r.name, ''), coalesce(r.version, ''),"
    " d.snapshot_hash, d.overrides, d.engine_version, d.content_hash, d.prev_hash, d.record_hash,"
    " d.trace, d.explanation_text, d.explanation_markdown, d.explanation_json";

std::string text_at(const pqxx::row& row, int column) { return row[column].is_null() ? std::string() : row[column].as<std::string>(); }

DecisionRecord read_record(const pqxx::row& row) {
  DecisionRecord record;
  record.id = row[0].as<std::int64_t>();
  record.recorded_at = text_at(row, 1);
  record.as_of = text_at(row, 2);
  record.profile = text_at(row, 3);
  record.action = text_at(row, 4);
  record.ruleset_hash = text_at(row, 5);
  record.ruleset_name = text_at(row, 6);
  record.ruleset_version = text_at(row, 7);
  record.snapshot_hash = text_at(row, 8);
  record.overrides = parse_overrides(text_at(row, 9));
  record.engine_version = text_at(row, 10);
  record.content_hash = text_at(row, 11);
  record.prev_hash = text_at(row, 12);
  record.record_hash = text_at(row, 13);
  record.trace = text_at(row, 14);
  record.explanation_text = text_at(row, 15);
  record.explanation_markdown = text_at(row, 16);
  record.explanation_json = text_at(row, 17);
  return record;
}

std::optional<std::string> optional_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return field.as<std::string>();
}

std::optional<std::string> snapshot_in(pqxx::transaction_base& work, const std::string& hash) {
  const auto result = work.exec_params("SELECT json FROM snapshots WHERE hash = $1", hash);
  if (result.empty()) return std::nullopt;
  return result[0][0].as<std::string>();
}

std::vector<RulesetFile> files_in(pqxx::transaction_base& work, const std::string& hash) {
  std::vector<RulesetFile> files;
  for (const auto& row : work.exec_params("SELECT path, text FROM ruleset_files WHERE ruleset_hash = $1 ORDER BY position", hash)) {
    files.push_back({row[0].as<std::string>(), row[1].as<std::string>()});
  }
  return files;
}

// PostgreSQL text cannot hold a NUL byte, and libpq would cut the value there: refused whole,
// never stored short (its hash would no longer match).
void require_no_nul(const std::string& shown, const std::string& what, const std::string& text) {
  if (text.find('\0') != std::string::npos) {
    throw AuditError(AuditError::Kind::kIo, shown + ": cannot store " + what + ": it holds a NUL byte, which PostgreSQL "
                                                    "text cannot; nothing recorded");
  }
}

}  // namespace

std::string new_attempt_token() {
  unsigned char bits[16];
  std::size_t got = 0;
  while (got < sizeof bits) {
    const ssize_t n = ::getrandom(bits + got, sizeof bits - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      throw AuditError(AuditError::Kind::kIo, std::string("cannot draw an attempt token from the kernel's random source: ") +
                                                  std::strerror(errno));
    }
    got += static_cast<std::size_t>(n);
  }
  bits[6] = static_cast<unsigned char>((bits[6] & 0x0f) | 0x40);  // version 4 (random)
  bits[8] = static_cast<unsigned char>((bits[8] & 0x3f) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string uuid;
  for (std::size_t k = 0; k < sizeof bits; ++k) {
    if (k == 4 || k == 6 || k == 8 || k == 10) uuid += '-';
    uuid += kHex[bits[k] >> 4];
    uuid += kHex[bits[k] & 15];
  }
  return uuid;
}

void store_ruleset(pqxx::work& work, const RulesetText& ruleset) {
  const auto added = work.exec_params(
      "INSERT INTO rulesets (hash, name, version, stored_at) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING",
      ruleset.hash, ruleset.name, ruleset.version, now_text());
  if (added.affected_rows() == 0) return;  // stored before
  for (std::size_t k = 0; k < ruleset.files.size(); ++k) {
    work.exec_params("INSERT INTO ruleset_files (ruleset_hash, position, path, text) VALUES ($1, $2, $3, $4)", ruleset.hash,
                     static_cast<std::int64_t>(k), ruleset.files[k].path, ruleset.files[k].text);
  }
}

void PgStore::require_writable() const {
  if (!writable_) throw AuditError(AuditError::Kind::kIo, shown_ + ": cannot be written (opened read-only)");
}

std::pair<std::int64_t, std::string> PgStore::locked_head(pqxx::work& work) const {
  // Every append takes this lock first and holds it to its commit or rollback (a writer killed
  // mid-transaction releases it with its session): one appender at a time, across machines.
  work.exec_params("SELECT pg_advisory_xact_lock($1)", kChainLock);
  const auto head = work.exec(
      "SELECT (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
      " (SELECT value FROM riskoff_store WHERE key = 'head_hash'),"
      " (SELECT id FROM decisions ORDER BY id DESC LIMIT 1),"
      " (SELECT record_hash FROM decisions ORDER BY id DESC LIMIT 1)");
  std::optional<std::pair<std::int64_t, std::string>> last;
  if (!head[0][2].is_null()) last.emplace(head[0][2].as<std::int64_t>(), text_at(head[0], 3));
  const std::string head_hash = text_at(head[0], 1);
  return {next_record_id(shown_, text_at(head[0], 0), head_hash, last), head_hash};
}

void PgStore::append_row(pqxx::work& work, const DecisionRow& row, const std::string& trace, const std::string& text,
                         const std::string& markdown, const std::string& json, const std::string& token) const {
  // One statement (one round trip while the chain lock is held): the record and the head moved
  // onto it. A store a test opened at a schema before 3 has no attempt_token column; the token is
  // still sent, so the parameters are the same, and compared with itself there (an unused
  // parameter would have no type).
  const bool tokens = version_ >= 3;
  work.exec_params(
      std::string("WITH added AS (INSERT INTO decisions (id, recorded_at, as_of, profile, action, ruleset_hash,"
                  " snapshot_hash, overrides, engine_version, trace, explanation_text, explanation_markdown,"
                  " explanation_json, content_hash, prev_hash, record_hash") +
          (tokens ? ", attempt_token" : "") +
          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16" +
          (tokens ? ", NULLIF($18, '')::uuid" : "") +
          "))"
          " UPDATE riskoff_store SET value = CASE key WHEN 'head_id' THEN $17 ELSE $16 END"
          " WHERE key IN ('head_id', 'head_hash')" +
          (tokens ? "" : " AND $18::text = $18::text"),
      row.id, row.recorded_at, row.as_of, row.profile, row.action, row.ruleset_hash, row.snapshot_hash,
      overrides_json(row.overrides), row.engine_version, trace, text, markdown, json, row.content_hash, row.prev_hash,
      row.record_hash, std::to_string(row.id), token);
}

void PgStore::store_documents(const RulesetText& ruleset, const std::string& snapshot_hash,
                              const std::string& snapshot_json) const {
  // Content-addressed and idempotent, so stored in a transaction of their own before the append:
  // not while holding the chain lock (a writer killed in between leaves a document no record
  // names yet, which the next record of it uses). Once stored, not sent again by this handle: a
  // writer records under one ruleset, often from one snapshot.
  if (stored_.count(ruleset.hash) != 0 && stored_.count(snapshot_hash) != 0) return;
  retrying([&](pqxx::connection& connection) {
    pqxx::work work(connection);
    store_ruleset(work, ruleset);
    work.exec_params("INSERT INTO snapshots (hash, json) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING", snapshot_hash,
                     snapshot_json);
    work.commit();
  });
  if (stored_.size() > 1000) stored_.clear();
  stored_.insert(ruleset.hash);
  stored_.insert(snapshot_hash);
}

std::int64_t PgStore::record(const DecisionInput& input) {
  require_writable();
  for (const auto* text : {&input.snapshot_json, &input.trace, &input.explanation_text, &input.explanation_markdown,
                           &input.explanation_json}) {
    require_no_nul(shown_, "the decision", *text);
  }
  for (const auto& file : input.ruleset->files) require_no_nul(shown_, "ruleset file " + file.path, file.text);
  // This call's token, written with its record in the same transaction (decisions.attempt_token,
  // unique). When a commit's outcome was unknown (the connection broke during COMMIT), the next
  // attempt looks the token up under the chain lock, which the earlier attempt held to its end:
  // found, that attempt committed and the record found is this call's; not found, it did not and
  // never will, so the decision is appended now. The retries share the token, so the unique index
  // would also refuse a second copy. Neither the record's hash (writers of the same decision in
  // the same second make the same hash) nor the transaction id tells: txid_status answered
  // "committed" for an attempt whose WAL the crashed server never flushed, because it gave that
  // id again to another writer's transaction (two writers acknowledged one id, one decision lost).
  const std::string token = new_attempt_token();
  bool commit_sent = false;
  const std::string snapshot_hash = support::sha256_hex(input.snapshot_json);
  store_documents(*input.ruleset, snapshot_hash, input.snapshot_json);
  return retrying([&](pqxx::connection& connection) -> std::int64_t {
    pqxx::work work(connection);
    const auto [id, prev_hash] = locked_head(work);
    if (commit_sent) {
      if (version_ < 3) {
        throw AuditError(AuditError::Kind::kIo, shown_ + ": the connection broke during COMMIT and this store's schema " +
                                                    std::to_string(version_) + " keeps no attempt tokens to tell whether "
                                                    "the decision was recorded; nothing acknowledged");
      }
      const auto found = work.exec_params("SELECT id FROM decisions WHERE attempt_token = $1::uuid", token);
      if (!found.empty()) return found[0][0].as<std::int64_t>();
    }
    const DecisionRow row = chained_row(input, id, prev_hash);
    append_row(work, row, input.trace, input.explanation_text, input.explanation_markdown, input.explanation_json, token);
    if (commit_hook_) commit_hook_(CommitStage::kBeforeCommit, work);
    commit_sent = true;
    work.commit();
    if (commit_hook_) commit_hook_(CommitStage::kAfterCommit, work);
    return id;
  });
}

void PgStore::append_verbatim(const std::vector<VerbatimRecord>& chain) {
  require_writable();
  if (chain.empty()) return;
  for (const auto& [record, ruleset, snapshot_json] : chain) {
    require_no_nul(shown_, "record " + std::to_string(record.id), record.trace + record.explanation_text +
                                                                       record.explanation_markdown + record.explanation_json +
                                                                       *snapshot_json);
  }
  retrying([&](pqxx::connection& connection) {
    pqxx::work work(connection);
    auto [id, prev_hash] = locked_head(work);
    // Already there (an earlier attempt committed before the connection broke; the chain goes
    // in whole or not at all, so its last record tells): done.
    const DecisionRecord& last = chain.back().record;
    if (last.id < id &&
        !work.exec_params("SELECT 1 FROM decisions WHERE id = $1 AND record_hash = $2", last.id, last.record_hash).empty()) {
      return;
    }
    for (const auto& [record, ruleset, snapshot_json] : chain) {
      check_verbatim(shown_, record, id, prev_hash, *ruleset, *snapshot_json);
      store_ruleset(work, *ruleset);
      work.exec_params("INSERT INTO snapshots (hash, json) VALUES ($1, $2) ON CONFLICT (hash) DO NOTHING",
                       record.snapshot_hash, *snapshot_json);
      // No token: an import is not retried by looking one up (its last record tells, above).
      append_row(work, record, record.trace, record.explanation_text, record.explanation_markdown, record.explanation_json, "");
      id = record.id + 1;
      prev_hash = record.record_hash;
    }
    work.commit();
  });
}

void PgStore::each_record(const ListFilter& filter, std::int64_t id,
                          const std::function<void(DecisionRecord&&)>& visit) const {
  // Batches of batch_rows_ records by id (keyset: after the last one visited), each one statement
  // and so one moment: a record and the links and head it is checked against are read together.
  // Each batch's transaction ends before its records are visited, so the visitor may read the
  // store (export reads each record's documents); a listing that runs while writers append may
  // end with records appended meanwhile. A broken connection resumes after the last record visited.
  std::optional<std::int64_t> after;
  for (bool more = true; more;) {
    std::vector<DecisionRecord> batch = retrying([&](pqxx::connection& connection) {
      pqxx::read_transaction reading(connection);
      // Filters are bound parameters; an empty one matches everything. The CASEs keep id ± 1
      // within bigint for ids that were edited to its ends.
      const auto result = reading.exec_params(
          std::string("SELECT ") + kColumns +
              ", CASE WHEN d.id > 1 THEN (SELECT p.record_hash FROM decisions p WHERE p.id = d.id - 1) END,"
              " CASE WHEN d.id < 9223372036854775807 THEN (SELECT n.prev_hash FROM decisions n WHERE n.id = d.id + 1) END,"
              " (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
              " (SELECT value FROM riskoff_store WHERE key = 'head_hash')"
              " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash"
              " WHERE ($5::bigint = 0 OR d.id = $5::bigint) AND (NOT $6::boolean OR d.id > $7::bigint)"
              " AND ($1::text = '' OR d.as_of >= $1::text) AND ($2::text = '' OR d.as_of <= $2::text)"
              " AND ($3::text = '' OR lower(d.action) = lower($3::text))"
              " AND ($4::text = '' OR r.name = $4::text OR r.name || '@' || r.version = $4::text"
              " OR (length($4::text) >= 4 AND substr(d.ruleset_hash, 1, length($4::text)) = $4::text))"
              " ORDER BY d.id LIMIT $8::bigint",
          filter.from, filter.to, filter.action, filter.ruleset, id, after.has_value(), after.value_or(0), batch_rows_);
      ++batches_read_;
      std::vector<DecisionRecord> records;
      records.reserve(result.size());
      for (const auto& row : result) {
        DecisionRecord record = read_record(row);
        const Links links{optional_text(row[18]), optional_text(row[19]), text_at(row, 20), text_at(row, 21)};
        record.tampered = problem_of(record, links);
        records.push_back(std::move(record));
      }
      reading.commit();
      return records;
    });
    more = static_cast<std::int64_t>(batch.size()) == batch_rows_;
    if (!batch.empty()) after = batch.back().id;
    for (auto& record : batch) visit(std::move(record));
  }
}

std::pair<std::int64_t, std::int64_t> PgStore::id_range() const {
  return retrying([&](pqxx::connection& connection) {
    pqxx::read_transaction reading(connection);
    const auto result = reading.exec("SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM decisions");
    return std::pair{result[0][0].as<std::int64_t>(), result[0][1].as<std::int64_t>()};
  });
}

std::optional<std::string> PgStore::snapshot_json(const std::string& hash) const {
  return retrying([&](pqxx::connection& connection) {
    pqxx::read_transaction reading(connection);
    return snapshot_in(reading, hash);
  });
}

std::vector<RulesetFile> PgStore::ruleset_files(const std::string& hash) const {
  return retrying([&](pqxx::connection& connection) {
    pqxx::read_transaction reading(connection);
    return files_in(reading, hash);
  });
}

VerifyReport PgStore::verify() const {
  return retrying([&](pqxx::connection& connection) {
    VerifyReport report;
    ChainCheck chain(report);
    Snapshot reading(connection);
    auto intact = [&](const std::string& hash, const std::string& name, const std::string& version) {
      const auto stored = reading.exec_params("SELECT name, version FROM rulesets WHERE hash = $1", hash);
      if (stored.empty()) return false;
      return ruleset_intact(hash, files_in(reading, hash), text_at(stored[0], 0), text_at(stored[0], 1), name, version);
    };
    // The records in batches by id, all in this one snapshot: memory holds one batch's documents.
    std::optional<std::int64_t> after;
    for (bool more = true; more;) {
      const auto records = reading.exec_params(std::string("SELECT ") + kColumns +
                                                   " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash"
                                                   " WHERE (NOT $1::boolean OR d.id > $2::bigint) ORDER BY d.id LIMIT $3::bigint",
                                               after.has_value(), after.value_or(0), batch_rows_);
      ++batches_read_;
      more = static_cast<std::int64_t>(records.size()) == batch_rows_;
      for (const auto& row : records) {
        const DecisionRecord record = read_record(row);
        after = record.id;
        chain.step(
            record,
            [&] {
              const auto json = snapshot_in(reading, record.snapshot_hash);
              return json && support::sha256_hex(*json) == record.snapshot_hash;
            },
            [&] { return intact(record.ruleset_hash, record.ruleset_name, record.ruleset_version); });
      }
    }
    if (version_ >= 2) {
      for (const auto& row : reading.exec("SELECT name, version, ruleset_hash FROM published ORDER BY name, version")) {
        if (!intact(text_at(row, 2), text_at(row, 0), text_at(row, 1))) {
          chain.published_broken(text_at(row, 0), text_at(row, 1), text_at(row, 2));
        }
      }
    }
    const auto head = reading.exec(
        "SELECT (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
        " (SELECT value FROM riskoff_store WHERE key = 'head_hash')");
    chain.finish(text_at(head[0], 0), text_at(head[0], 1));
    reading.commit();
    return report;
  });
}

PublishOutcome PgStore::publish(const RulesetText& ruleset, std::string& existing_hash) {
  require_writable();
  for (const auto& file : ruleset.files) require_no_nul(shown_, "ruleset file " + file.path, file.text);
  // As in record(): this call's token goes into the row it publishes (published.attempt_token,
  // schema 4), so after a COMMIT whose outcome was unknown the retry tells the row this call
  // wrote (kPublished) from one an earlier call wrote (kAlreadyPublished). A store a test opened
  // below schema 4 has no column: there such a retry is an error, as record()'s is below 3.
  const bool tokens = version_ >= 4;
  const std::string token = tokens ? new_attempt_token() : std::string();
  bool commit_sent = false;
  return retrying([&](pqxx::connection& connection) {
    pqxx::work work(connection);
    // The chain lock also orders publications: two publishing the same NAME@VERSION at once
    // get one kPublished and one kAlreadyPublished or kConflict, never a constraint error. An
    // earlier attempt of this call held it to its end, so its row is there now or never will be.
    work.exec_params("SELECT pg_advisory_xact_lock($1)", kChainLock);
    const auto found = work.exec_params("SELECT ruleset_hash FROM published WHERE name = $1 AND version = $2",
                                        ruleset.name, ruleset.version);
    if (!found.empty()) {
      existing_hash = found[0][0].as<std::string>();
      if (commit_sent) {
        if (!tokens) {
          throw AuditError(AuditError::Kind::kIo, shown_ + ": the connection broke during COMMIT and this store's schema " +
                                                      std::to_string(version_) + " keeps no publication tokens to tell "
                                                      "whether this call published " + ruleset.name + "@" + ruleset.version);
        }
        // Whether the row is this call's: rows published before schema 4 have no token.
        const auto ours = work.exec_params("SELECT 1 FROM published WHERE name = $1 AND version = $2 AND attempt_token = $3::uuid",
                                           ruleset.name, ruleset.version, token);
        if (!ours.empty()) return PublishOutcome::kPublished;
      }
      return existing_hash == ruleset.hash ? PublishOutcome::kAlreadyPublished : PublishOutcome::kConflict;
    }
    store_ruleset(work, ruleset);
    if (tokens) {
      work.exec_params("INSERT INTO published (name, version, ruleset_hash, published_at, attempt_token)"
                       " VALUES ($1, $2, $3, $4, $5::uuid)",
                       ruleset.name, ruleset.version, ruleset.hash, now_text(), token);
    } else {
      work.exec_params("INSERT INTO published (name, version, ruleset_hash, published_at) VALUES ($1, $2, $3, $4)",
                       ruleset.name, ruleset.version, ruleset.hash, now_text());
    }
    if (commit_hook_) commit_hook_(CommitStage::kBeforeCommit, work);
    commit_sent = true;
    work.commit();
    if (commit_hook_) commit_hook_(CommitStage::kAfterCommit, work);
    return PublishOutcome::kPublished;
  });
}

std::vector<Published> PgStore::published_unsorted() const {
  return retrying([&](pqxx::connection& connection) {
    pqxx::read_transaction reading(connection);
    std::vector<Published> out;
    if (version_ < 2) return out;
    for (const auto& row : reading.exec("SELECT name, version, ruleset_hash, published_at FROM published")) {
      out.push_back({text_at(row, 0), text_at(row, 1), text_at(row, 2), text_at(row, 3)});
    }
    return out;
  });
}

}  // namespace riskoff::audit
