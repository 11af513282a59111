// Reading decisions back: the one path (read_records) behind `audit list`, `show`, `recheck`,
// `diff`, `export` and the API's AuditLog. Nothing read from the file is trusted: each record
// is checked against its own hash and against its neighbours' links before it is returned, so
// an edited record is refused or flagged, never shown as if it were the record.
#include <SQLiteCpp/SQLiteCpp.h>


#include "audit/store.hpp"
#include "audit/sqlite_store.hpp"

namespace riskoff::audit {

namespace {

std::optional<std::string> text_or_null(const SQLite::Column& column) {
  if (column.isNull()) return std::nullopt;
  return column.getString();
}

void read_checked(SqliteStore::Impl& store, const ListFilter& filter, std::int64_t id,
                  const std::function<void(DecisionRecord&&)>& visit) {
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
    visit(std::move(record));
  }
}

}  // namespace

void SqliteStore::each_record(const ListFilter& filter, std::int64_t id,
                              const std::function<void(DecisionRecord&&)>& visit) const {
  try {
    read_checked(*impl_, filter, id, visit);
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::pair<std::int64_t, std::int64_t> SqliteStore::id_range() const {
  try {
    SQLite::Statement query(impl_->db, "SELECT coalesce(min(id), 0), coalesce(max(id), 0) FROM decisions");
    query.executeStep();
    return {query.getColumn(0).getInt64(), query.getColumn(1).getInt64()};
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

}  // namespace riskoff::audit
