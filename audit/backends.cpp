// Opening either backend (a file: SQLite; a postgresql:// URI: PostgreSQL), and what the storage
// interface does the same way over both: listing and getting through read_records, the export,
// and the registry's semantic-version order.
#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "audit/chain.hpp"
#include "audit/pg_backend.hpp"
#include "audit/sqlite_store.hpp"
#include "support/semver.hpp"

namespace riskoff::audit {

bool is_postgres_uri(const std::string& location) {
  return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::unique_ptr<AuditStore> AuditStore::open(const std::string& location, OpenMode mode, int target_version) {
  if (is_postgres_uri(location)) return open_pg_store(location, mode, target_version);
  return SqliteStore::open(location, mode, target_version);
}

std::vector<std::int64_t> AuditStore::record_batch(const std::vector<const DecisionInput*>& inputs) {
  std::vector<std::int64_t> ids;
  for (const DecisionInput* input : inputs) ids.push_back(record(*input));
  return ids;
}

std::vector<DecisionRecord> AuditStore::read_records(const ListFilter& filter, std::int64_t id) const {
  std::vector<DecisionRecord> out;
  each_record(filter, id, [&](DecisionRecord&& record) { out.push_back(std::move(record)); });
  return out;
}

std::vector<DecisionRow> AuditStore::list(const ListFilter& filter) const {
  // The rows only: each record's documents are dropped as soon as it is read.
  std::vector<DecisionRow> out;
  each_record(filter, 0, [&](DecisionRecord&& record) { out.push_back(std::move(static_cast<DecisionRow&>(record))); });
  return out;
}

std::optional<DecisionRecord> AuditStore::get(std::int64_t id) const {
  // Id 0 selects every record in read_records; no record has it (ids count from 1).
  if (id == 0) return std::nullopt;
  auto records = read_records({}, id);
  if (records.empty()) return std::nullopt;
  return std::move(records.front());
}

std::int64_t AuditStore::export_jsonl(std::ostream& out) const {
  std::int64_t tampered = 0;
  each_record({}, 0, [&](DecisionRecord&& record) {
    if (!record.tampered.empty()) ++tampered;
    out << export_line(record) << '\n';
  });
  return tampered;
}

std::vector<Published> AuditStore::published() const {
  auto out = published_unsorted();
  std::sort(out.begin(), out.end(), [](const Published& a, const Published& b) {
    return a.name != b.name ? a.name < b.name : support::version_less(a.version, b.version);
  });
  return out;
}

std::optional<Published> AuditStore::find_published(const std::string& name, const std::string& version) const {
  std::optional<Published> found;
  for (auto& entry : published()) {
    if (entry.name != name) continue;
    if (!version.empty() && entry.version != version) continue;
    found = entry;  // ascending order: the last match is the highest version
  }
  return found;
}

std::string default_store_path() {
  if (const char* db = std::getenv("RISKOFF_DB"); db != nullptr && *db != '\0') return db;
  if (const char* data = std::getenv("XDG_DATA_HOME"); data != nullptr && *data == '/') {
    return std::string(data) + "/riskoff/audit.sqlite";
  }
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/share/riskoff/audit.sqlite";
}

}  // namespace riskoff::audit
