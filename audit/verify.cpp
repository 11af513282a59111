// Reading the whole chain back for `audit verify` (SQLite): every record against its hash and its
// predecessor (the walk is chain.hpp's, shared with PostgreSQL), every stored ruleset against
// its key, and SQLite's own integrity check.
#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <limits>
#include <map>
#include <sqlite3.h>
#include <nlohmann/json.hpp>
#include <ostream>

#include "audit/store.hpp"
#include "audit/sqlite_store.hpp"
#include "support/json_writer.hpp"
#include "support/sha256.hpp"

namespace riskoff::audit {

VerifyReport SqliteStore::verify() const {
  VerifyReport report;
  ChainCheck chain(report);
  auto ruleset_intact_here = [&](const std::string& hash, const std::string& name, const std::string& version) {
    SQLite::Statement stored(impl_->db, "SELECT name, version FROM rulesets WHERE hash = ?");
    stored.bind(1, hash);
    if (!stored.executeStep()) return false;
    return ruleset_intact(hash, ruleset_files(hash), stored.getColumn(0).getString(), stored.getColumn(1).getString(),
                          name, version);
  };
  std::error_code ec;
  report.wal_bytes = std::filesystem::file_size(impl_->path + "-wal", ec);
  if (ec) report.wal_bytes = 0;
  try {
    // One read transaction: the records and the head are of the same moment even while
    // writers append.
    SQLite::Transaction reading(impl_->db);
    {
      SQLite::Statement check(impl_->db, "PRAGMA integrity_check");
      while (check.executeStep()) {
        const std::string line = check.getColumn(0).getString();
        if (line != "ok") report.problems.push_back("SQLite integrity check: " + line);
      }
    }
    SQLite::Statement query(impl_->db, std::string("SELECT ") + kRowColumns +
                                           ", d.trace, d.explanation_text, d.explanation_markdown, d.explanation_json"
                                           " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash ORDER BY d.id");
    while (query.executeStep()) {
      DecisionRecord record;
      read_row(query, record);
      record.trace = query.getColumn(14).getString();
      record.explanation_text = query.getColumn(15).getString();
      record.explanation_markdown = query.getColumn(16).getString();
      record.explanation_json = query.getColumn(17).getString();
      chain.step(
          record,
          [&] {
            const auto json = snapshot_json(record.snapshot_hash);
            return json && support::sha256_hex(*json) == record.snapshot_hash;
          },
          [&] { return ruleset_intact_here(record.ruleset_hash, record.ruleset_name, record.ruleset_version); });
    }
    // The registry: a published NAME@VERSION must still name a stored ruleset with that very
    // header, whose files still hash to it ("a published version never changes").
    // (A store of schema 1, opened read-only and so not migrated, has no registry.)
    SQLite::Statement published(impl_->db, impl_->version >= 2 ? "SELECT p.name, p.version, p.ruleset_hash FROM published p ORDER BY p.name, p.version"
                                                               : "SELECT '', '', '' WHERE 0");
    while (published.executeStep()) {
      const std::string name = published.getColumn(0).getString();
      const std::string version = published.getColumn(1).getString();
      const std::string hash = published.getColumn(2).getString();
      if (!ruleset_intact_here(hash, name, version)) chain.published_broken(name, version, hash);
    }
    chain.finish(get_meta(impl_->db, "head_id"), get_meta(impl_->db, "head_hash"));
    reading.commit();
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
  // Fold the WAL into the file (records are written without checkpoints, see open()): after a
  // verification the .sqlite file alone is the whole store, ready to copy or archive. Not when
  // the file cannot be written: the report says the WAL is still needed.
  if (impl_->writable && impl_->db.tryExec("PRAGMA wal_checkpoint(TRUNCATE)") == SQLITE_OK) {
    report.wal_folded = std::filesystem::file_size(impl_->path + "-wal", ec) == 0 || ec;
  }
  return report;
}

}  // namespace riskoff::audit
