// The chain export and import (transfer.hpp). Every line is checked whole against the format
// before anything is stored from it; the hashes are checked by append_verbatim (chain.hpp).
#include "audit/transfer.hpp"

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

}  // namespace

std::int64_t write_chain(const AuditStore& store, std::ostream& out) {
  out << "{\"format\":\"" << kChainFormat << "\"}\n";
  std::set<std::string> written;
  std::int64_t count = 0;
  for (const auto& record : store.read_records({}, 0)) {
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
  }
  return count;
}

ImportReport read_chain(AuditStore& store, std::istream& in, const std::string& source) {
  ImportReport report;
  std::map<std::string, RulesetText> rulesets;
  std::map<std::string, std::string> snapshots;
  std::string text;
  std::size_t number = 0;
  auto next_line = [&]() -> bool {
    text.clear();
    for (int c = in.get(); c != std::char_traits<char>::eof() && c != '\n'; c = in.get()) {
      if (text.size() >= kMaxChainLine) {
        throw bad_line(source, number + 1, "longer than " + std::to_string(kMaxChainLine >> 20) + " MiB");
      }
      text.push_back(static_cast<char>(c));
    }
    ++number;
    return !text.empty() || in;
  };
  // The header is checked without trusting its shape: any file may be named here (a text file,
  // a JSON array, a `format` that is not a string), and nlohmann's value() throws on those.
  const auto is_header = [&] {
    const json header = json::parse(text, nullptr, false);
    if (!header.is_object()) return false;
    const auto format = header.find("format");
    return format != header.end() && format->is_string() && format->get<std::string>() == kChainFormat;
  };
  if (!next_line() || !is_header()) {
    throw bad_line(source, 1, std::string("expected the header {\"format\":\"") + kChainFormat +
                                  "\"} (write one with `riskoff audit export --format chain`)");
  }
  const auto [first_id, last_id] = store.id_range();
  (void)first_id;
  while (next_line()) {
    if (text.empty()) continue;
    const json line = json::parse(text, nullptr, false);
    if (!line.is_object() || line.size() != 1) throw bad_line(source, number, "expected one JSON object with one key");
    const std::string kind = line.begin().key();
    const json& body = line.begin().value();
    if (!body.is_object()) throw bad_line(source, number, "expected \"" + kind + "\" to be an object");
    if (kind == "ruleset") {
      RulesetText ruleset;
      ruleset.hash = text_of(body, "hash", source, number);
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
      snapshots[text_of(body, "hash", source, number)] = text_of(body, "json", source, number);
    } else if (kind == "record") {
      DecisionRecord record;
      const auto id = body.find("id");
      if (id == body.end() || !id->is_number_integer()) throw bad_line(source, number, "expected \"id\" as an integer");
      record.id = id->get<std::int64_t>();
      std::string* values[] = {&record.recorded_at, &record.as_of, &record.profile, &record.action,
                               &record.ruleset_hash, &record.snapshot_hash, &record.engine_version, &record.trace,
                               &record.explanation_text, &record.explanation_markdown, &record.explanation_json,
                               &record.content_hash, &record.prev_hash, &record.record_hash};
      for (std::size_t k = 0; k < std::size(kRecordTexts); ++k) *values[k] = text_of(body, kRecordTexts[k], source, number);
      const auto overrides = body.find("overrides");
      if (overrides == body.end() || !overrides->is_array()) throw bad_line(source, number, "expected \"overrides\" as an array");
      for (const auto& assignment : *overrides) {
        if (!assignment.is_string()) throw bad_line(source, number, "expected each override as a string");
        record.overrides.push_back(assignment.get<std::string>());
      }
      if (record.id >= 1 && record.id <= last_id) {
        // Already there: the same record (an import run again) is skipped; another one stops it.
        const auto held = store.get(record.id);
        if (!held || held->record_hash != record.record_hash) {
          throw AuditError(AuditError::Kind::kDamaged, store.path() + ": record " + std::to_string(record.id) +
                                                           " differs from " + source + "'s (line " + std::to_string(number) +
                                                           "): this store holds another chain; nothing more imported");
        }
        ++report.present;
        continue;
      }
      const auto ruleset = rulesets.find(record.ruleset_hash);
      const auto snapshot = snapshots.find(record.snapshot_hash);
      if (ruleset == rulesets.end() || snapshot == snapshots.end()) {
        throw bad_line(source, number, "expected its ruleset and snapshot on earlier lines");
      }
      store.append_verbatim(record, ruleset->second, snapshot->second);
      ++report.imported;
    } else {
      throw bad_line(source, number, "expected \"ruleset\", \"snapshot\" or \"record\", not \"" + kind + "\"");
    }
  }
  report.verified = store.verify();
  return report;
}

}  // namespace riskoff::audit
