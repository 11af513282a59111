// The hash chain both backends share (chain.hpp): canonical content, links, the check of a
// record read back and the verify walk.
#include "audit/chain.hpp"

#include <charconv>
#include <chrono>
#include <limits>
#include <nlohmann/json.hpp>

#include "engine/snapshot.hpp"
#include "support/json_writer.hpp"
#include "support/sha256.hpp"

namespace riskoff::audit {

std::string now_text() {
  return engine::format_timestamp(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::optional<std::int64_t> parse_record_id(const std::string& text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  // Canonical digits only: no sign, no leading zeros or blanks, nothing after, within int64.
  if (error != std::errc() || end != text.data() + text.size() || value < 0 || std::to_string(value) != text) {
    return std::nullopt;
  }
  return value;
}

// NAME and VERSION from a canonical rule file's header line, the first line that is not a
// comment: `ruleset NAME version "X.Y.Z" ...`.
std::pair<std::string, std::string> header_of(const std::string& text) {
  std::size_t at = 0;
  while (at < text.size() && (text[at] == '#' || text[at] == '\n')) {
    const auto next = text.find('\n', at);
    at = next == std::string::npos ? text.size() : next + 1;
  }
  const std::string line = text.substr(at, text.find('\n', at) - at);
  if (line.rfind("ruleset ", 0) != 0) return {};
  const auto name_end = line.find(' ', 8);
  const auto open = line.find('"', name_end);
  const auto close = open == std::string::npos ? open : line.find('"', open + 1);
  if (name_end == std::string::npos || close == std::string::npos) return {};
  return {line.substr(8, name_end - 8), line.substr(open + 1, close - open - 1)};
}

// The hash a record's content must have: every field, and the hashes of the large ones, in a
// fixed JSON shape. The id is part of it, so moving a record to another place shows.
std::string content_hash(std::int64_t id, const DecisionRow& row, const std::string& trace, const std::string& text,
                         const std::string& markdown, const std::string& json) {
  return content_hash_of_digests(id, row,
                                 {row.snapshot_hash, support::sha256_hex(trace), support::sha256_hex(text),
                                  support::sha256_hex(markdown), support::sha256_hex(json)});
}

std::string content_hash_of_digests(std::int64_t id, const DecisionRow& row, const DecisionInput::Digests& digests) {
  // Compact, in this order: the bytes every stored record's hash was computed over.
  support::JsonWriter canonical(support::JsonLayout::kCompact);
  canonical.begin_object().field_integer("id", id);
  canonical.field("recorded_at", row.recorded_at);
  canonical.field("as_of", row.as_of);
  canonical.field("profile", row.profile);
  canonical.field("action", row.action);
  canonical.field("ruleset", row.ruleset_hash);
  canonical.field("snapshot", row.snapshot_hash);
  canonical.key("overrides").begin_array();
  for (const auto& assignment : row.overrides) canonical.string(assignment);
  canonical.end_array();
  canonical.field("engine_version", row.engine_version);
  canonical.field("trace", digests.trace);
  canonical.field("explanation_text", digests.text);
  canonical.field("explanation_markdown", digests.markdown);
  canonical.field("explanation_json", digests.json);
  canonical.end_object();
  return support::sha256_hex(canonical.text());
}

std::string chain_hash(const std::string& prev, const std::string& content) {
  return support::sha256_hex(prev + content);
}

std::string overrides_json(const std::vector<std::string>& overrides) {
  support::JsonWriter json(support::JsonLayout::kCompact);
  json.begin_array();
  for (const auto& assignment : overrides) json.string(assignment);
  json.end_array();
  return json.take();
}

std::vector<std::string> parse_overrides(const std::string& text) {
  std::vector<std::string> out;
  const auto json = nlohmann::json::parse(text, nullptr, false);
  if (!json.is_array()) return {"(unreadable overrides: " + text + ")"};
  for (const auto& item : json) out.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  return out;
}

// Its own hash first (an edit of any field), then the chain around it: a record whose hashes
// were recomputed after an edit no longer matches the link its successor (or the head) holds.
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

std::int64_t next_record_id(const std::string& where, const std::string& head_text, const std::string& head_hash,
                            std::optional<std::pair<std::int64_t, std::string>> last) {
  const std::int64_t last_id = last ? last->first : 0;
  const std::string last_hash = last ? last->second : std::string(AuditStore::kGenesisHash);
  const auto head_id = parse_record_id(head_text);
  if (!head_id) {
    throw AuditError(AuditError::Kind::kDamaged, where + ": the chain head in riskoff_store (`" + head_text +
                                                     "`) is not a record id: the store was edited; nothing recorded "
                                                     "(`riskoff audit verify` says what is left)");
  }
  if (*head_id != last_id || head_hash != last_hash) {
    throw AuditError(AuditError::Kind::kDamaged, where + ": the chain head in riskoff_store (record " + head_text +
                                                     ") is not the last record (" +
                                                     (last ? "record " + std::to_string(last_id) : std::string("none")) +
                                                     "): the store was edited; nothing recorded (`riskoff audit verify` says what is left)");
  }
  std::int64_t id = 0;
  if (__builtin_add_overflow(*head_id, 1, &id)) {
    throw AuditError(AuditError::Kind::kDamaged, where + ": no record id after " + head_text + "; nothing recorded");
  }
  return id;
}

DecisionInput::Digests digests_of(const DecisionInput& input) {
  if (!input.digests.trace.empty()) return input.digests;  // hashed before the writer's lock
  return {support::sha256_hex(input.snapshot_json), support::sha256_hex(input.trace),
          support::sha256_hex(input.explanation_text), support::sha256_hex(input.explanation_markdown),
          support::sha256_hex(input.explanation_json)};
}

void digest_documents(DecisionInput& input) { input.digests = digests_of(input); }

DecisionRow chained_row(const DecisionInput& input, std::int64_t id, const std::string& prev_hash) {
  const DecisionInput::Digests digests = digests_of(input);
  DecisionRow row;
  row.id = id;
  row.snapshot_hash = digests.snapshot;
  row.prev_hash = prev_hash;
  row.recorded_at = now_text();
  row.as_of = input.as_of;
  row.profile = input.profile;
  row.action = input.action;
  row.ruleset_hash = input.ruleset->hash;
  row.ruleset_name = input.ruleset->name;
  row.ruleset_version = input.ruleset->version;
  row.overrides = input.overrides;
  row.engine_version = input.engine_version;
  row.content_hash = content_hash_of_digests(id, row, digests);
  row.record_hash = chain_hash(row.prev_hash, row.content_hash);
  return row;
}

void check_verbatim(const std::string& where, const DecisionRecord& record, std::int64_t next_id,
                    const std::string& head_hash, const RulesetText& ruleset, const std::string& snapshot_json) {
  const std::string name = where + ": record " + std::to_string(record.id) + " not imported: ";
  if (record.id != next_id || record.prev_hash != head_hash) {
    throw AuditError(AuditError::Kind::kDamaged, name + "it does not continue this store's chain (which ends at record " +
                                                     std::to_string(next_id - 1) + "); import into an empty store, or "
                                                     "the records after its head");
  }
  const std::string content = content_hash(record.id, record, record.trace, record.explanation_text,
                                           record.explanation_markdown, record.explanation_json);
  if (content != record.content_hash || chain_hash(record.prev_hash, record.content_hash) != record.record_hash) {
    throw AuditError(AuditError::Kind::kDamaged, name + "its hash does not match its content (edited after export?)");
  }
  if (support::sha256_hex(snapshot_json) != record.snapshot_hash) {
    throw AuditError(AuditError::Kind::kDamaged, name + "its snapshot does not hash to " + record.snapshot_hash.substr(0, 12));
  }
  if (ruleset.hash != record.ruleset_hash || ruleset.files.empty() || closure_hash(ruleset.files) != ruleset.hash) {
    throw AuditError(AuditError::Kind::kDamaged, name + "its ruleset does not hash to " + record.ruleset_hash.substr(0, 12));
  }
}

bool ruleset_intact(const std::string& hash, const std::vector<RulesetFile>& files, const std::string& stored_name,
                    const std::string& stored_version, const std::string& name, const std::string& version) {
  if (files.empty() || closure_hash(files) != hash) return false;
  const auto [header_name, header_version] = header_of(files.front().text);
  return stored_name == header_name && stored_version == header_version && header_name == name &&
         header_version == version;
}

void ChainCheck::fail(std::int64_t id, std::string problem) {
  if (report_.first_bad == 0) report_.first_bad = id;
  report_.problems.push_back(std::move(problem));
}

bool ChainCheck::walk(const DecisionRecord& record) {
  if (record.id <= 0) {
    fail(record.id, where(record) + "an id that is not positive (ids count from 1): the store was edited");
    return false;
  }
  // Ids are unique and walked in order, so id > last_id_ >= 0: the expected id is last_id_ + 1 <= id.
  if (record.id != last_id_ + 1) {
    fail(record.id, where(record) + "expected record " + std::to_string(last_id_ + 1) + " here: records " +
                        std::to_string(last_id_ + 1) + ".." + std::to_string(record.id - 1) + " were deleted");
  }
  const std::string content = content_hash(record.id, record, record.trace, record.explanation_text,
                                           record.explanation_markdown, record.explanation_json);
  if (content != record.content_hash) {
    fail(record.id, where(record) + "content does not match its hash: edited after it was recorded");
  } else if (record.prev_hash != prev_) {
    fail(record.id, where(record) + "does not follow the record before it: a record was deleted, inserted or reordered");
  } else if (chain_hash(record.prev_hash, record.content_hash) != record.record_hash) {
    fail(record.id, where(record) + "record hash does not match its content and predecessor");
  }
  return true;
}

void ChainCheck::done(const DecisionRecord& record) {
  prev_ = record.record_hash;
  last_id_ = record.id;
  ++report_.records;
}

void ChainCheck::published_broken(const std::string& name, const std::string& version, const std::string& hash) {
  report_.problems.push_back("published " + name + "@" + version + ": its ruleset " + hash.substr(0, 12) +
                             " is missing, was edited, or is not " + name + " " + version);
}

void ChainCheck::finish(const std::string& head_id, const std::string& head_hash) {
  report_.head_id = last_id_;
  report_.head_hash = prev_;
  if (head_id == std::to_string(last_id_) && head_hash == prev_) return;
  const auto claimed = parse_record_id(head_id);
  const bool lost = claimed && *claimed > last_id_;
  // The first record that should be there: the one after the last (the chain's end when ids
  // are exhausted: no such record can exist).
  const std::int64_t missing = last_id_ < std::numeric_limits<std::int64_t>::max() ? last_id_ + 1 : last_id_;
  fail(missing, "the chain ends at record " + std::to_string(last_id_) + " but the store's head says record `" + head_id +
                    (lost ? "`: the last records were deleted" : "`: the head was edited"));
}

// One line per record: the stored documents compacted, key order kept; a document that no
// longer parses is exported as a string rather than breaking the line. A record that does not
// verify is exported as it is, flagged: an export is evidence, and hiding the record would hide
// the edit.
std::string export_line(const DecisionRecord& record) {
  auto compact = [](const std::string& text) {
    const auto json = nlohmann::ordered_json::parse(text, nullptr, false);
    return json.is_discarded() ? support::json_quote(text) : json.dump();
  };
  support::JsonWriter json(support::JsonLayout::kCompact);
  json.begin_object().field_integer("id", record.id);
  json.field("recorded_at", record.recorded_at).field("as_of", record.as_of);
  json.field("profile", record.profile).field("action", record.action);
  json.key("ruleset").begin_object();
  json.field("name", record.ruleset_name).field("version", record.ruleset_version).field("sha256", record.ruleset_hash);
  json.end_object();
  json.field("snapshot_sha256", record.snapshot_hash);
  json.key("overrides").begin_array();
  for (const auto& assignment : record.overrides) json.string(assignment);
  json.end_array();
  json.field("engine_version", record.engine_version);
  json.field("content_hash", record.content_hash).field("prev_hash", record.prev_hash).field("record_hash", record.record_hash);
  json.key("tampered").boolean(!record.tampered.empty());
  if (!record.tampered.empty()) json.field("problem", record.tampered);
  json.key("trace").raw(compact(record.trace));
  json.key("explanation").raw(compact(record.explanation_json));
  json.end_object();
  return json.text();
}

}  // namespace riskoff::audit
