// The chain export and import (transfer.hpp). Every line is checked whole against the format
// before anything is stored from it; the hashes are checked by append_verbatim (chain.hpp).
#include "audit/transfer.hpp"

#include <algorithm>
#include <istream>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>
#include <set>

#include "audit/chain.hpp"
#include "support/json_writer.hpp"

namespace riskoff::audit {

namespace {

using nlohmann::json;

// The record's stored fields as strings (documents included byte for byte).
constexpr const char* kRecordTexts[] = {"recorded_at", "as_of", "profile", "action", "ruleset_hash", "snapshot_hash",
                                        "engine_version", "trace", "explanation_text", "explanation_markdown",
                                        "explanation_json", "content_hash", "prev_hash", "record_hash"};

std::string record_line(const DecisionRecord& record) {
  support::JsonWriter line(support::JsonLayout::kCompact);
  line.begin_object().key("record").begin_object().field_integer("id", record.id);
  const std::string* values[] = {&record.recorded_at, &record.as_of, &record.profile, &record.action,
                                 &record.ruleset_hash, &record.snapshot_hash, &record.engine_version, &record.trace,
                                 &record.explanation_text, &record.explanation_markdown, &record.explanation_json,
                                 &record.content_hash, &record.prev_hash, &record.record_hash};
  for (std::size_t k = 0; k < std::size(kRecordTexts); ++k) line.field(kRecordTexts[k], *values[k]);
  line.key("overrides").begin_array();
  for (const auto& assignment : record.overrides) line.string(assignment);
  line.end_array().end_object().end_object();
  return line.take();
}

// Why `line` is not what the format expects, or the error for it.
AuditError bad_line(const std::string& source, std::size_t number, const std::string& expected) {
  return AuditError(AuditError::Kind::kNotAStore, source + " line " + std::to_string(number) + ": " + expected);
}

std::string text_of(const json& object, const char* key, const std::string& source, std::size_t number) {
  const auto found = object.find(key);
  if (found == object.end() || !found->is_string()) {
    throw bad_line(source, number, std::string("expected \"") + key + "\" as a string");
  }
  return found->get<std::string>();
}

// A hash field: 64 lowercase hex digits (SHA-256), refused by length or alphabet before any
// check compares it.
std::string hash_of(const json& object, const char* key, const std::string& source, std::size_t number) {
  std::string hash = text_of(object, key, source, number);
  const bool hex = std::all_of(hash.begin(), hash.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
  if (hash.size() != 64 || !hex) {
    throw bad_line(source, number, std::string("expected \"") + key + "\" as 64 lowercase hex digits (SHA-256), got " +
                                       std::to_string(hash.size()) + (hex ? " hex digits" : " characters, not all hex"));
  }
  return hash;
}

// A record line's body, every field present and of its type; its hashes well formed.
DecisionRecord record_of(const json& body, const std::string& source, std::size_t number) {
  DecisionRecord record;
  const auto id = body.find("id");
  if (id == body.end() || !id->is_number_integer()) throw bad_line(source, number, "expected \"id\" as an integer");
  record.id = id->get<std::int64_t>();
  if (record.id < 1) throw bad_line(source, number, "expected \"id\" from 1 (ids count the chain's records)");
  std::string* values[] = {&record.recorded_at, &record.as_of, &record.profile, &record.action,
                           &record.ruleset_hash, &record.snapshot_hash, &record.engine_version, &record.trace,
                           &record.explanation_text, &record.explanation_markdown, &record.explanation_json,
                           &record.content_hash, &record.prev_hash, &record.record_hash};
  for (std::size_t k = 0; k < std::size(kRecordTexts); ++k) *values[k] = text_of(body, kRecordTexts[k], source, number);
  for (const char* key : {"ruleset_hash", "snapshot_hash", "content_hash", "prev_hash", "record_hash"}) {
    hash_of(body, key, source, number);
  }
  const auto overrides = body.find("overrides");
  if (overrides == body.end() || !overrides->is_array()) throw bad_line(source, number, "expected \"overrides\" as an array");
  for (const auto& assignment : *overrides) {
    if (!assignment.is_string()) throw bad_line(source, number, "expected each override as a string");
    record.overrides.push_back(assignment.get<std::string>());
  }
  return record;
}

}  // namespace

std::int64_t write_chain(const AuditStore& store, std::ostream& out) {
  out << "{\"format\":\"" << kChainFormat << "\"}\n";
  std::set<std::string> written;
  std::int64_t count = 0;
  store.each_record({}, 0, [&](DecisionRecord&& record) {
    if (written.insert("r" + record.ruleset_hash).second) {
      support::JsonWriter line(support::JsonLayout::kCompact);
      line.begin_object().key("ruleset").begin_object().field("hash", record.ruleset_hash).key("files").begin_array();
      for (const auto& file : store.ruleset_files(record.ruleset_hash)) {
        line.begin_object().field("path", file.path).field("text", file.text).end_object();
      }
      line.end_array().end_object().end_object();
      out << line.text() << '\n';
    }
    if (written.insert("s" + record.snapshot_hash).second) {
      support::JsonWriter line(support::JsonLayout::kCompact);
      line.begin_object().key("snapshot").begin_object().field("hash", record.snapshot_hash);
      line.field("json", store.snapshot_json(record.snapshot_hash).value_or("")).end_object().end_object();
      out << line.text() << '\n';
    }
    out << record_line(record) << '\n';
    ++count;
  });
  return count;
}

ImportReport read_chain(AuditStore& store, std::istream& in, const std::string& source) {
  ImportReport report;
  // Read and checked whole before anything is written, then appended in one transaction: a file
  // refused anywhere leaves the destination as it was. So the chain is held in memory (each line
  // at most kMaxChainLine; the documents once per hash).
  std::map<std::string, RulesetText> rulesets;
  std::map<std::string, std::string> snapshots;
  std::vector<VerbatimRecord> chain;
  std::map<std::int64_t, std::size_t> line_of;  // record id -> the line it came from
  std::string text;
  std::size_t number = 0;
  auto next_line = [&]() -> bool {
    text.clear();
    int c = in.get();
    for (; c != std::char_traits<char>::eof() && c != '\n'; c = in.get()) {
      if (text.size() >= kMaxChainLine) {
        throw bad_line(source, number + 1, "longer than " + std::to_string(kMaxChainLine >> 20) + " MiB (no export writes such a line)");
      }
      text.push_back(static_cast<char>(c));
    }
    ++number;
    if (c != '\n' && !text.empty()) {
      throw bad_line(source, number, "cut short (no newline at its end, as every exported line has): the file is truncated");
    }
    return c == '\n';
  };
  // The header is checked without trusting its shape: any file may be named here (a text file,
  // a JSON array, a `format` that is not a string), and nlohmann's value() throws on those.
  const auto is_header = [&] {
    const json header = json::parse(text, nullptr, false);
    if (!header.is_object()) return false;
    const auto format = header.find("format");
    return format != header.end() && format->is_string() && format->get<std::string>() == kChainFormat;
  };
  try {
    if (!next_line() || !is_header()) {
      throw bad_line(source, 1, std::string("expected the header {\"format\":\"") + kChainFormat +
                                    "\"} (write one with `riskoff audit export --format chain`)");
    }
    const auto [first_id, last_id] = store.id_range();
    (void)first_id;
    // Where the imported records must continue: the destination's last record.
    std::int64_t next_id = last_id + 1;
    std::string head_hash(AuditStore::kGenesisHash);
    if (last_id > 0) {
      const auto last = store.get(last_id);
      if (!last || !last->tampered.empty()) {
        throw AuditError(AuditError::Kind::kDamaged, store.path() + ": its last record " + std::to_string(last_id) +
                                                         " does not verify (run `riskoff audit verify`)");
      }
      head_hash = last->record_hash;
    }
    while (next_line()) {
      if (text.empty()) continue;
      const json line = json::parse(text, nullptr, false);
      if (line.is_discarded()) throw bad_line(source, number, "not JSON");
      if (!line.is_object() || line.size() != 1) throw bad_line(source, number, "expected one JSON object with one key");
      const std::string kind = line.begin().key();
      const json& body = line.begin().value();
      if (!body.is_object()) throw bad_line(source, number, "expected \"" + kind + "\" to be an object");
      if (kind == "ruleset") {
        RulesetText ruleset;
        ruleset.hash = hash_of(body, "hash", source, number);
        const auto files = body.find("files");
        if (files == body.end() || !files->is_array() || files->empty()) throw bad_line(source, number, "expected \"files\" as a non-empty array");
        for (const auto& file : *files) {
          if (!file.is_object()) throw bad_line(source, number, "expected each file as an object");
          ruleset.files.push_back({text_of(file, "path", source, number), text_of(file, "text", source, number)});
        }
        // The name and version are the root file's header's, not the line's word.
        std::tie(ruleset.name, ruleset.version) = header_of(ruleset.files.front().text);
        rulesets[ruleset.hash] = std::move(ruleset);
      } else if (kind == "snapshot") {
        snapshots[hash_of(body, "hash", source, number)] = text_of(body, "json", source, number);
      } else if (kind == "record") {
        DecisionRecord record = record_of(body, source, number);
        if (const auto [seen, fresh] = line_of.try_emplace(record.id, number); !fresh) {
          throw bad_line(source, number, "record " + std::to_string(record.id) + " again (first on line " +
                                             std::to_string(seen->second) + "): a duplicated id");
        }
        if (record.id <= last_id) {
          // Already there: the same record (an import run again) is skipped; another one stops it.
          const auto held = store.get(record.id);
          if (!held || held->record_hash != record.record_hash) {
            throw AuditError(AuditError::Kind::kDamaged, store.path() + ": record " + std::to_string(record.id) +
                                                             " differs from " + source + "'s (line " + std::to_string(number) +
                                                             "): this store holds another chain");
          }
          if (!chain.empty()) throw bad_line(source, number, "record " + std::to_string(record.id) + " after record " +
                                                                 std::to_string(chain.back().record.id) + ": out of order");
          ++report.present;
          continue;
        }
        if (record.id != next_id) {
          throw bad_line(source, number, "record " + std::to_string(record.id) + " where record " + std::to_string(next_id) +
                                             " was expected: a record moved, missing or out of order");
        }
        if (record.id == 1 && record.prev_hash != AuditStore::kGenesisHash) {
          throw bad_line(source, number, "record 1 does not start from the genesis hash (64 zeros) but from " +
                                             record.prev_hash.substr(0, 12) + "…: a foreign chain");
        }
        const auto ruleset = rulesets.find(record.ruleset_hash);
        const auto snapshot = snapshots.find(record.snapshot_hash);
        if (ruleset == rulesets.end() || snapshot == snapshots.end()) {
          throw bad_line(source, number, "expected its ruleset and snapshot on earlier lines");
        }
        check_verbatim(source + " line " + std::to_string(number), record, next_id, head_hash, ruleset->second,
                       snapshot->second);
        next_id = record.id + 1;
        head_hash = record.record_hash;
        chain.push_back({std::move(record), &ruleset->second, &snapshot->second});
      } else {
        throw bad_line(source, number, "expected \"ruleset\", \"snapshot\" or \"record\", not \"" + kind + "\"");
      }
    }
    store.append_verbatim(chain);
  } catch (const AuditError& e) {
    throw AuditError(e.kind(), std::string(e.what()) + "; nothing imported");
  }
  report.imported = static_cast<std::int64_t>(chain.size());
  report.verified = store.verify();
  return report;
}

}  // namespace riskoff::audit
