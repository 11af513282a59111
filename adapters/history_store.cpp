#include "adapters/history_store.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <cmath>
#include <chrono>
#include <limits>

namespace riskoff::adapters {

struct HistoryStore::Impl {
  std::string path;
  SQLite::Database db;
  int version = 0;  // the schema version the file is at (read-only opens do not migrate)
  Impl(const std::string& file, int flags) : path(file), db(file, flags) {}
};

namespace {

// Forward migrations, applied in order on open; a store records the version it reached.
constexpr const char* kMigrations[] = {
    // 1: series and their observations.
    "CREATE TABLE series (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, unit TEXT NOT NULL,"
    " source TEXT NOT NULL, reader TEXT NOT NULL, imported_at TEXT NOT NULL);"
    "CREATE TABLE observations (series_id INTEGER NOT NULL REFERENCES series(id) ON DELETE CASCADE,"
    " time INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (series_id, time)) WITHOUT ROWID;",
    // 2: when each observation became known (adapters/clock.hpp); NULL (rows of a version 1
    // store) is its time, as that version read it.
    "ALTER TABLE observations ADD COLUMN known_at INTEGER;",
};

// What an SQLite failure is about: the file's content (not a database, damaged) or the host.
StoreError sqlite_error(const std::string& message, const SQLite::Exception& e) {
  const int code = e.getErrorCode() & 0xFF;  // the primary code, without the extended bits
  const bool content = code == SQLITE_NOTADB || code == SQLITE_CORRUPT;
  return StoreError(content ? StoreError::Kind::kStore : StoreError::Kind::kIo, message + e.what());
}

std::string now_text() {
  return engine::format_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

// The schema version as stored, checked: a number this riskoff knows how to read.
int parse_version(const std::string& path, const std::string& text) {
  int version = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), version);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || version < 0) {
    throw StoreError(StoreError::Kind::kStore,
                     path + ": riskoff_store `schema_version` is `" + text + "`, not a number: the store was edited or is damaged");
  }
  return version;
}

}  // namespace

HistoryStore::HistoryStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HistoryStore::~HistoryStore() = default;

std::unique_ptr<HistoryStore> HistoryStore::open(const std::string& path, OpenMode mode) {
  const bool may_create = mode == OpenMode::kCreate || mode == OpenMode::kCreateInEmptyFile;
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  try {
    const int flags = mode == OpenMode::kReadOnly ? SQLite::OPEN_READONLY
                                                  : SQLite::OPEN_READWRITE | (may_create ? SQLite::OPEN_CREATE : 0);
    auto impl = std::make_unique<Impl>(path, flags);
    impl->db.exec("PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;");
    // A riskoff store has a `riskoff_store` table with its schema version. An empty file becomes
    // one only when it is new or the caller says so: an existing empty file may be a store that
    // lost its content.
    const bool empty = impl->db.execAndGet("SELECT count(*) FROM sqlite_master").getInt() == 0;
    if (empty && existed && mode != OpenMode::kCreateInEmptyFile) {
      throw StoreError(StoreError::Kind::kStore, path + ": empty file, not a riskoff history store (truncated?)" +
                                                     std::string(may_create ? "; to import into it as a new store, give --create" : ""));
    }
    if (mode != OpenMode::kReadOnly) impl->db.exec("PRAGMA journal_mode=WAL");
    if (empty) {
      impl->db.exec("CREATE TABLE riskoff_store (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                    "INSERT INTO riskoff_store VALUES ('schema_version', '0');"
                    "INSERT INTO riskoff_store VALUES ('store', 'history');");
    } else if (!impl->db.tableExists("riskoff_store")) {
      throw StoreError(StoreError::Kind::kStore, path + ": not a riskoff history store (no riskoff_store table)");
    }
    // Stores from before the `store` key have none; an audit store says 'audit'.
    const std::string kind = impl->db.execAndGet("SELECT coalesce((SELECT value FROM riskoff_store WHERE key = 'store'), 'history')").getString();
    if (kind != "history") {
      throw StoreError(StoreError::Kind::kStore, path + ": a riskoff " + kind + " store, not a history store" +
                                                     (kind == "audit" ? " (see `riskoff audit`)" : ""));
    }
    int version = parse_version(path, impl->db.execAndGet(
        "SELECT coalesce((SELECT value FROM riskoff_store WHERE key = 'schema_version'), '')").getString());
    if (version > kSchemaVersion) {
      throw StoreError(StoreError::Kind::kStore, path + ": store schema version " + std::to_string(version) + " is newer than this riskoff (" +
                       std::to_string(kSchemaVersion) + ")");
    }
    impl->version = version;
    if (mode == OpenMode::kReadOnly) return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(impl)));
    impl->version = kSchemaVersion;
    for (; version < kSchemaVersion; ++version) {
      SQLite::Transaction transaction(impl->db);
      impl->db.exec(kMigrations[version]);
      SQLite::Statement update(impl->db, "UPDATE riskoff_store SET value = ? WHERE key = 'schema_version'");
      update.bind(1, std::to_string(version + 1));
      update.exec();
      transaction.commit();
    }
    return std::unique_ptr<HistoryStore>(new HistoryStore(std::move(impl)));
  } catch (const SQLite::Exception& e) {
    if ((e.getErrorCode() & 0xFF) == SQLITE_NOTADB) {
      throw StoreError(StoreError::Kind::kStore, path + ": not a riskoff history store (not an SQLite database)");
    }
    throw sqlite_error(path + ": ", e);
  }
}

ImportReport HistoryStore::import(const Manifest& manifest) {
  ImportReport report;
  // Read everything first: nothing is written unless every source reads cleanly.
  BuildOptions options;
  options.as_of = std::numeric_limits<engine::Timestamp>::max() / 2;
  options.default_lookback = std::numeric_limits<double>::infinity();
  const BuildResult built = build_snapshot(manifest, options);
  if (!built.ok()) {
    report.problems = built.problems;
    return report;
  }
  try {
    SQLite::Transaction transaction(impl_->db);
    const std::string imported_at = now_text();
    for (const engine::InputData& data : built.snapshot.inputs) {
      const auto spec_it = std::find_if(manifest.sources.begin(), manifest.sources.end(),
                                        [&](const SourceSpec& spec) { return spec.input == data.name; });
      const SourceSpec& spec = *spec_it;
      SQLite::Statement remove(impl_->db, "DELETE FROM series WHERE name = ?");
      remove.bind(1, data.name);
      remove.exec();
      SQLite::Statement insert(impl_->db,
                               "INSERT INTO series (name, unit, source, reader, imported_at) VALUES (?, ?, ?, ?, ?)");
      insert.bind(1, data.name);
      insert.bind(2, std::string(engine::unit_name(data.unit)));
      insert.bind(3, data.source);
      insert.bind(4, spec.reader);
      insert.bind(5, imported_at);
      insert.exec();
      const std::int64_t id = impl_->db.getLastInsertRowid();
      SQLite::Statement observation(impl_->db, "INSERT INTO observations (series_id, time, value, known_at) VALUES (?, ?, ?, ?)");
      for (std::size_t i = 0; i < data.times.size(); ++i) {
        observation.bind(1, id);
        observation.bind(2, static_cast<std::int64_t>(data.times[i]));
        observation.bind(3, data.values[i]);
        observation.bind(4, static_cast<std::int64_t>(data.known(i)));
        observation.exec();
        observation.reset();
      }
      report.imported.push_back({data.name, data.unit, data.source, spec.reader, imported_at, data.times.size(),
                                 data.times.empty() ? 0 : data.times.front(), data.times.empty() ? 0 : data.times.back()});
    }
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(impl_->path + ": import failed, nothing changed: ", e);
  }
  return report;
}

std::vector<StoredSeries> HistoryStore::list() const {
  std::vector<StoredSeries> out;
  try {
    SQLite::Statement query(impl_->db,
                            "SELECT s.name, s.unit, s.source, s.reader, s.imported_at, count(o.time), min(o.time), max(o.time)"
                            " FROM series s LEFT JOIN observations o ON o.series_id = s.id GROUP BY s.id ORDER BY s.name");
    while (query.executeStep()) {
      StoredSeries series;
      series.name = query.getColumn(0).getString();
      engine::parse_unit(query.getColumn(1).getString(), series.unit);
      series.source = query.getColumn(2).getString();
      series.reader = query.getColumn(3).getString();
      series.imported_at = query.getColumn(4).getString();
      series.count = static_cast<std::size_t>(query.getColumn(5).getInt64());
      series.first = query.getColumn(6).getInt64();
      series.last = query.getColumn(7).getInt64();
      out.push_back(std::move(series));
    }
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(impl_->path + ": ", e);
  }
  return out;
}

engine::InputData HistoryStore::read(const std::string& name, engine::Timestamp from, engine::Timestamp to, UpTo up_to) const {
  engine::InputData data;
  data.name = name;
  try {
    SQLite::Statement series(impl_->db, "SELECT id, unit, source FROM series WHERE name = ?");
    series.bind(1, name);
    if (!series.executeStep()) return data;
    const std::int64_t id = series.getColumn(0).getInt64();
    engine::parse_unit(series.getColumn(1).getString(), data.unit);
    data.source = series.getColumn(2).getString() + " (history store)";
    // A version 1 store (opened read-only, so not migrated) has no known_at: each time is it.
    SQLite::Statement query(impl_->db,
                            impl_->version < 2 ? "SELECT time, value, time FROM observations"
                                                 " WHERE series_id = ? AND time >= ? AND time <= ? ORDER BY time"
                            : up_to == UpTo::kKnownAt ? "SELECT time, value, coalesce(known_at, time) FROM observations"
                                                        " WHERE series_id = ? AND time >= ? AND coalesce(known_at, time) <= ? ORDER BY time"
                                                      : "SELECT time, value, coalesce(known_at, time) FROM observations"
                                                        " WHERE series_id = ? AND time >= ? AND time <= ? ORDER BY time");
    query.bind(1, id);
    query.bind(2, static_cast<std::int64_t>(from));
    query.bind(3, static_cast<std::int64_t>(to));
    while (query.executeStep()) {
      // Import only writes finite numbers; anything else was edited in by hand, and a silent
      // NaN, infinity or text-read-as-zero would travel into decisions.
      const auto value = query.getColumn(1);
      const engine::Timestamp time = query.getColumn(0).getInt64();
      if (!value.isFloat() && !value.isInteger()) {
        throw StoreError(StoreError::Kind::kStore, impl_->path + ": series `" + name + "` at " + engine::format_timestamp(time) +
                         ": expected a number, found " + (value.isNull() ? "NULL" : "`" + value.getString() + "`"));
      }
      if (!std::isfinite(value.getDouble())) {
        throw StoreError(StoreError::Kind::kStore, impl_->path + ": series `" + name + "` at " + engine::format_timestamp(time) +
                         ": expected a finite number");
      }
      // The primary key keeps times unique and ORDER BY walks its b-tree, so times come out
      // ascending unless a page was damaged or edited: SQLite trusts the page's order.
      if (!data.times.empty() && time <= data.times.back()) {
        throw StoreError(StoreError::Kind::kStore, impl_->path + ": series `" + name + "` at " + engine::format_timestamp(time) +
                         ": times out of order after " + engine::format_timestamp(data.times.back()) +
                         " (the store was edited or is damaged)");
      }
      const engine::Timestamp known = query.getColumn(2).getInt64();
      if (!data.known_at.empty() && known < data.known_at.back()) {
        throw StoreError(StoreError::Kind::kStore, impl_->path + ": series `" + name + "` at " + engine::format_timestamp(time) +
                         ": known_at goes backwards (the store was edited or is damaged)");
      }
      data.times.push_back(time);
      data.values.push_back(value.getDouble());
      data.known_at.push_back(known);
    }
  } catch (const SQLite::Exception& e) {
    throw sqlite_error(impl_->path + ": ", e);
  }
  return data;
}

}  // namespace riskoff::adapters
