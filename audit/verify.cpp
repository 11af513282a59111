// Reading the whole chain back: `audit verify` (every record against its hash and its
// predecessor, every stored ruleset against its key) and `audit export` (JSON Lines).
#include <SQLiteCpp/SQLiteCpp.h>

#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "audit/store.hpp"
#include "audit/store_impl.hpp"
#include "support/checked.hpp"
#include "support/json_writer.hpp"
#include "support/sha256.hpp"

namespace riskoff::audit {

VerifyReport AuditStore::verify() const {
  VerifyReport report;
  // A stored ruleset is intact when its files hash to its key and its stored name and version
  // are those its root file's header declares (both are shown by list and used by lookups).
  auto ruleset_intact = [&](const std::string& hash, const std::string& name, const std::string& version) {
    const auto files = ruleset_files(hash);
    if (files.empty() || closure_hash(files) != hash) return false;
    SQLite::Statement stored(impl_->db, "SELECT name, version FROM rulesets WHERE hash = ?");
    stored.bind(1, hash);
    if (!stored.executeStep()) return false;
    const auto [header_name, header_version] = header_of(files.front().text);
    return stored.getColumn(0).getString() == header_name && stored.getColumn(1).getString() == header_version &&
           header_name == name && header_version == version;
  };
  auto fail = [&](std::int64_t id, std::string problem) {
    if (report.first_bad == 0) report.first_bad = id;
    report.problems.push_back(std::move(problem));
  };
  try {
    {
      SQLite::Statement check(impl_->db, "PRAGMA integrity_check");
      while (check.executeStep()) {
        const std::string line = check.getColumn(0).getString();
        if (line != "ok") report.problems.push_back("SQLite integrity check: " + line);
      }
    }
    std::map<std::string, bool> snapshots_ok;
    std::map<std::string, bool> rulesets_ok;
    SQLite::Statement query(impl_->db, std::string("SELECT ") + kRowColumns +
                                           ", d.trace, d.explanation_text, d.explanation_markdown, d.explanation_json"
                                           " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash ORDER BY d.id");
    std::string prev(kGenesisHash);
    // The id of the last record read; the next must be one more. Ids are stored data, so the
    // arithmetic is checked: a record at INT64_MAX has no successor.
    std::int64_t last_id = 0;
    while (query.executeStep()) {
      DecisionRow row;
      read_row(query, row);
      const std::string where = "record " + std::to_string(row.id) + ": ";
      const auto expected_id = support::checked_add<std::int64_t>(last_id, 1);
      if (!expected_id) {
        fail(row.id, where + "follows record " + std::to_string(last_id) + ", the largest id there can be");
      } else if (row.id > *expected_id) {
        fail(row.id, where + "expected record " + std::to_string(*expected_id) + " here: records " +
                         std::to_string(*expected_id) + ".." + std::to_string(row.id - 1) + " were deleted");
      } else if (row.id != *expected_id) {
        fail(row.id, where + "expected record " + std::to_string(*expected_id) + " here: ids count up from 1");
      }
      const std::string content = content_hash(row.id, row, query.getColumn(14).getString(), query.getColumn(15).getString(),
                                               query.getColumn(16).getString(), query.getColumn(17).getString());
      if (content != row.content_hash) {
        fail(row.id, where + "content does not match its hash: edited after it was recorded");
      } else if (row.prev_hash != prev) {
        fail(row.id, where + "does not follow the record before it: a record was deleted, inserted or reordered");
      } else if (chain_hash(row.prev_hash, row.content_hash) != row.record_hash) {
        fail(row.id, where + "record hash does not match its content and predecessor");
      }
      if (auto [it, fresh] = snapshots_ok.try_emplace(row.snapshot_hash, false); fresh) {
        const auto json = snapshot_json(row.snapshot_hash);
        it->second = json && support::sha256_hex(*json) == row.snapshot_hash;
      }
      if (!snapshots_ok[row.snapshot_hash]) {
        fail(row.id, where + "its snapshot " + row.snapshot_hash.substr(0, 12) + " is missing or was edited");
      }
      if (auto [it, fresh] = rulesets_ok.try_emplace(row.ruleset_hash, false); fresh) {
        it->second = ruleset_intact(row.ruleset_hash, row.ruleset_name, row.ruleset_version);
      }
      if (!rulesets_ok[row.ruleset_hash]) {
        fail(row.id, where + "its ruleset " + row.ruleset_hash.substr(0, 12) + " is missing or was edited");
      }
      prev = row.record_hash;
      last_id = row.id;
      ++report.records;
    }
    report.head_hash = prev;
    // The registry: a published NAME@VERSION must still name a stored ruleset with that very
    // header, whose files still hash to it ("a published version never changes").
    SQLite::Statement published(impl_->db,
                                "SELECT p.name, p.version, p.ruleset_hash FROM published p ORDER BY p.name, p.version");
    while (published.executeStep()) {
      const std::string name = published.getColumn(0).getString();
      const std::string version = published.getColumn(1).getString();
      const std::string hash = published.getColumn(2).getString();
      if (!ruleset_intact(hash, name, version)) {
        report.problems.push_back("published " + name + "@" + version + ": its ruleset " + hash.substr(0, 12) +
                                  " is missing, was edited, or is not " + name + " " + version);
      }
    }
    const std::string head_id = get_meta(impl_->db, "head_id");
    const std::string head_hash = get_meta(impl_->db, "head_hash");
    if (head_id != std::to_string(last_id) || head_hash != prev) {
      const std::int64_t claimed = std::strtoll(head_id.c_str(), nullptr, 10);
      fail(support::checked_add<std::int64_t>(last_id, 1).value_or(last_id),
           "the chain ends at record " + std::to_string(last_id) + " but the store's head says record " + head_id +
               (claimed > last_id ? ": the last records were deleted" : ": the head was edited"));
    }
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
  // Fold the WAL into the file (records are written without checkpoints, see open()): after a
  // verification the .sqlite file alone is the whole store, ready to copy or archive.
  impl_->db.tryExec("PRAGMA wal_checkpoint(TRUNCATE)");
  return report;
}

void AuditStore::export_jsonl(std::ostream& out) const {
  // One line per record: the stored documents compacted, key order kept; a document that no
  // longer parses is exported as a string rather than breaking the line.
  auto compact = [](const std::string& text) {
    const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
    return json.is_discarded() ? support::json_quote(text) : json.dump();
  };
  for (const auto& row : list({})) {
    const auto record = get(row.id);
    if (!record) continue;
    support::JsonWriter json(support::JsonLayout::kCompact);
    json.begin_object().field_integer("id", row.id);
    json.field("recorded_at", row.recorded_at).field("as_of", row.as_of);
    json.field("profile", row.profile).field("action", row.action);
    json.key("ruleset").begin_object();
    json.field("name", row.ruleset_name).field("version", row.ruleset_version).field("sha256", row.ruleset_hash);
    json.end_object();
    json.field("snapshot_sha256", row.snapshot_hash);
    json.key("overrides").begin_array();
    for (const auto& assignment : row.overrides) json.string(assignment);
    json.end_array();
    json.field("engine_version", row.engine_version);
    json.field("content_hash", row.content_hash).field("prev_hash", row.prev_hash).field("record_hash", row.record_hash);
    json.key("trace").raw(compact(record->trace));
    json.key("explanation").raw(compact(record->explanation_json));
    json.end_object();
    out << json.text() << '\n';
  }
}

}  // namespace riskoff::audit
