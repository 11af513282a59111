// Reading decisions back: the one path (read_records) behind `audit list`, `show`, `recheck`,
// `diff`, `export` and the API's AuditLog. Nothing read from the file is trusted: each record
// is checked against its own hash and against its neighbours' links before it is returned, so
// an edited record is refused or flagged, never shown as if it were the record.
#include <SQLiteCpp/SQLiteCpp.h>

#include <charconv>

#include "audit/store.hpp"
#include "audit/store_impl.hpp"

namespace riskoff::audit {

namespace {

// What the record's neighbours say about it, read in the same statement as the record.
struct Links {
  std::optional<std::string> before;  // the record_hash of record id-1; nullopt: no such record
  std::optional<std::string> after;   // the prev_hash of record id+1; nullopt: no such record
  std::string head_id;                // riskoff_store's head, as stored
  std::string head_hash;
};

std::optional<std::string> text_or_null(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

// Why `record` cannot be trusted, or empty. Its own hash first (an edit of any field), then the
// chain around it: a record whose hashes were recomputed after an edit no longer matches the
// link its successor (or the head) holds.
std::string problem_of(const DecisionRecord& record, const Links& links) {
  const std::string name = "record " + std::to_string(record.id);
  if (record.id <= 0) return name + " has an id that is not positive (ids count from 1): the store was edited";
  const std::string content = content_hash(record.id, record, record.trace, record.explanation_text,
                                           record.explanation_markdown, record.explanation_json);
  if (content != record.content_hash || chain_hash(record.prev_hash, record.content_hash) != record.record_hash) {
    return name + " was edited after it was written: its hash does not match";
  }
  if (record.id == 1) {
    if (record.prev_hash != AuditStore::kGenesisHash) {
      return name + " does not start the chain (its previous hash is not the genesis hash): the store was edited";
    }
  } else if (!links.before) {
    // id > 1 here, so id - 1 does not overflow.
    return name + ": record " + std::to_string(record.id - 1) + " before it is missing: records were deleted";
  } else if (*links.before != record.prev_hash) {
    return name + " does not follow record " + std::to_string(record.id - 1) +
           ": a record was edited, deleted or inserted before it";
  }
  if (links.after) {
    if (*links.after != record.record_hash) {
      return name + " was edited after it was written: its hash does not match the chain (the record after it links to another hash)";
    }
  } else {
    const auto head = parse_record_id(links.head_id);
    if (!head || *head != record.id || links.head_hash != record.record_hash) {
      return name + " is the last record but not the store's head (record `" + links.head_id +
             "`): later records were deleted, or it or the head was edited";
    }
  }
  return {};
}

}  // namespace

std::optional<std::int64_t> parse_record_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Canonical digits only: no sign, no leading zeros or blanks, nothing after, within int64.
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || std::to_string(value) != text) {
    return std::nullopt;
  }
  return value;
}

std::vector<DecisionRecord> read_records(AuditStore::Impl& store, const ListFilter& filter, std::int64_t id) {
  std::vector<DecisionRecord> out;
  // Filters are bound parameters; an empty one matches everything. The links and the head are
  // subqueries of the same statement: one consistent view even while writers append.
  SQLite::Statement query(
      store.db,
      std::string("SELECT ") + kRowColumns +
          ", d.trace, d.explanation_text, d.explanation_markdown, d.explanation_json,"
          " (SELECT p.record_hash FROM decisions p WHERE p.id = d.id - 1),"
          " (SELECT n.prev_hash FROM decisions n WHERE n.id = d.id + 1),"
          " (SELECT value FROM riskoff_store WHERE key = 'head_id'),"
          " (SELECT value FROM riskoff_store WHERE key = 'head_hash')"
          " FROM decisions d LEFT JOIN rulesets r ON r.hash = d.ruleset_hash"
          " WHERE (?5 = 0 OR d.id = ?5)"
          " AND (?1 = '' OR d.as_of >= ?1) AND (?2 = '' OR d.as_of <= ?2) AND (?3 = '' OR lower(d.action) = lower(?3))"
          " AND (?4 = '' OR r.name = ?4 OR r.name || '@' || r.version = ?4 OR (length(?4) >= 4 AND substr(d.ruleset_hash, 1, length(?4)) = ?4))"
          " ORDER BY d.id");
  query.bind(1, filter.from);
  query.bind(2, filter.to);
  query.bind(3, filter.action);
  query.bind(4, filter.ruleset);
  query.bind(5, id);
  while (query.executeStep()) {
    DecisionRecord record;
    read_row(query, record);
    record.trace = query.getColumn(14).getString();
    record.explanation_text = query.getColumn(15).getString();
    record.explanation_markdown = query.getColumn(16).getString();
    record.explanation_json = query.getColumn(17).getString();
    const Links links{text_or_null(query.getColumn(18)), text_or_null(query.getColumn(19)),
                      query.getColumn(20).getString(), query.getColumn(21).getString()};
    record.tampered = problem_of(record, links);
    out.push_back(std::move(record));
  }
  return out;
}

std::vector<DecisionRow> AuditStore::list(const ListFilter& filter) const {
  try {
    std::vector<DecisionRow> out;
    for (auto& record : read_records(*impl_, filter, 0)) out.push_back(std::move(static_cast<DecisionRow&>(record)));
    return out;
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::optional<DecisionRecord> AuditStore::get(std::int64_t id) const {
  // Id 0 selects every record in read_records; no record has it (ids count from 1).
  if (id == 0) return std::nullopt;
  try {
    auto records = read_records(*impl_, {}, id);
    if (records.empty()) return std::nullopt;
    return std::move(records.front());
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::pair<std::int64_t, std::int64_t> AuditStore::id_range() const {
  try {
    SQLite::Statement query(impl_->db, "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM decisions");
    query.executeStep();
    return {query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

}  // namespace riskoff::audit
