// The ruleset registry of the audit store: publish NAME@VERSION once, list, find the highest
// version; and the semantic-version order they use.
#include <SQLiteCpp/SQLiteCpp.h>

#include "audit/store.hpp"
#include "audit/sqlite_store.hpp"

namespace riskoff::audit {

PublishOutcome SqliteStore::publish(const RulesetText& ruleset, std::string& existing_hash) {
  try {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    SQLite::Statement find(impl_->db, "SELECT ruleset_hash FROM published WHERE name = ? AND version = ?");
    find.bind(1, ruleset.name);
    find.bind(2, ruleset.version);
    if (find.executeStep()) {
      existing_hash = find.getColumn(0).getString();
      return existing_hash == ruleset.hash ? PublishOutcome::kAlreadyPublished : PublishOutcome::kConflict;
    }
    store_ruleset(impl_->db, ruleset);
    SQLite::Statement add(impl_->db,
                          "INSERT INTO published (name, version, ruleset_hash, published_at) VALUES (?, ?, ?, ?)");
    add.bind(1, ruleset.name);
    add.bind(2, ruleset.version);
    add.bind(3, ruleset.hash);
    add.bind(4, now_text());
    add.exec();
    transaction.commit();
    return PublishOutcome::kPublished;
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
}

std::vector<Published> SqliteStore::published_unsorted() const {
  std::vector<Published> out;
  try {
    SQLite::Statement query(impl_->db, "SELECT name, version, ruleset_hash, published_at FROM published ORDER BY name");
    while (query.executeStep()) {
      out.push_back({query.getColumn(0).getString(), query.getColumn(1).getString(), query.getColumn(2).getString(),
                     query.getColumn(3).getString()});
    }
  } catch (const SQLite::Exception& e) {
    throw translate(impl_->path, e);
  }
  return out;
}

}  // namespace riskoff::audit
