#include "serve/decide_request.hpp"

#include <simdjson.h>

#include <algorithm>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>

namespace riskoff::serve {
namespace {

struct FormatName {
  const char* name;
  std::optional<Format> format;  // none: summary, not a rendering
};
constexpr FormatName kFormats[] = {{"json", Format::kJson},
                                   {"text", Format::kText},
                                   {"text_verbose", Format::kTextVerbose},
                                   {"markdown", Format::kMarkdown},
                                   {"summary", std::nullopt}};
constexpr const char* kFormatList = "json, text, text_verbose, markdown, summary";

// Adds one format name of `formats` to the request; false when it is none of kFormats. Each
// counts once, however often it is named.
class FormatList {
 public:
  bool add(std::string_view name, DecideRequest& request) {
    const auto known = std::find_if(std::begin(kFormats), std::end(kFormats), [&](const FormatName& f) { return name == f.name; });
    if (known == std::end(kFormats)) return false;
    if (!known->format) {
      request.summary = true;
    } else if (*known->format == Format::kJson) {
      json_listed_ = true;
    } else if (std::find(request.formats.begin(), request.formats.end(), *known->format) == request.formats.end()) {
      request.format_names.emplace_back(known->name);
      request.formats.push_back(*known->format);
    }
    return true;
  }
  // The explanation JSON is the default answer: it goes only when summary replaces it.
  void finish(DecideRequest& request) const { request.explanation = json_listed_ || !request.summary; }

 private:
  bool json_listed_ = false;
};

// nlohmann's message without its "[json.exception.parse_error.101] " tag: what remains names
// the line and column ("parse error at line 1, column 14: syntax error while parsing ...").
std::string positioned(const nlohmann::json::parse_error& error) {
  std::string message = error.what();
  if (const auto tag_end = message.find("] "); message.rfind("[json.exception", 0) == 0 && tag_end != std::string::npos) {
    message.erase(0, tag_end + 2);
  }
  return "request body: " + message;
}

void read_formats(const nlohmann::json& value, DecideRequest& request, std::vector<std::string>& errors) {
  if (!value.is_array()) {
    errors.push_back(std::string("field `formats` must be an array of format names (") + kFormatList + ")");
    return;
  }
  FormatList formats;
  for (const auto& item : value) {
    if (!item.is_string() || !formats.add(item.get_ref<const std::string&>(), request)) {
      errors.push_back("field `formats`: `" + (item.is_string() ? item.get<std::string>() : item.dump()) + "` is not one of " +
                       kFormatList);
    }
  }
  formats.finish(request);
}

// NOTE(serve): the fast path of every decide request. simdjson On Demand walks the body in
// place and hands the snapshot on as the bytes it came in (Snapshot::from_json reads them once
// more, also with simdjson), where the checked path below builds a whole nlohmann tree of a
// 30 KB snapshot and prints it again: that was most of a request's CPU. It accepts only what the
// checked path accepts and gives up on anything else (malformed JSON, an unknown or repeated
// field, a wrong type, a format it does not know): the checked path then reads the body again
// and names the problem, so every message is the checked path's.
// `snapshot_apart`: the body is the fields besides a snapshot read_snapshot_first found, which
// may then be only profile, overrides, formats and record.
std::optional<DecideRequest> read_plain_request(const std::string& body, bool snapshot_apart = false) {
  namespace od = simdjson::ondemand;
  thread_local od::parser parser;
  thread_local std::string padded;  // the body and simdjson's padding, reused by the thread
  padded.reserve(body.size() + simdjson::SIMDJSON_PADDING);
  padded.assign(body);
  od::document document;
  if (parser.iterate(simdjson::padded_string_view(padded.data(), padded.size(), padded.capacity())).get(document)) {
    return std::nullopt;
  }
  od::object fields;
  if (document.get_object().get(fields)) return std::nullopt;
  DecideRequest request;
  std::vector<std::string_view> seen;
  bool has_snapshot = false;
  for (auto field : fields) {
    std::string_view key;
    od::value value;
    if (field.unescaped_key().get(key) || field.value().get(value)) return std::nullopt;
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) return std::nullopt;
    seen.push_back(key);  // a view into the parser's string buffer, valid for this document
    std::string_view text;
    if (snapshot_apart && (key == "snapshot" || key == "sources" || key == "as_of")) return std::nullopt;
    if (key == "snapshot") {
      od::object snapshot;
      if (value.get_object().get(snapshot) || snapshot.raw_json().get(text)) return std::nullopt;
      request.snapshot_json.assign(text);
      has_snapshot = true;
    } else if (key == "profile") {
      if (value.get_string().get(text)) return std::nullopt;
      request.profile.assign(text);
    } else if (key == "overrides") {
      od::object overrides;
      if (value.get_object().get(overrides)) return std::nullopt;
      for (auto setting : overrides) {
        std::string_view name;
        if (setting.unescaped_key().get(name)) return std::nullopt;
        const std::string assignment = std::string(name) + "=";
        if (setting.value().get_string().get(text)) return std::nullopt;
        request.overrides.push_back(assignment + std::string(text));
      }
    } else if (key == "formats") {
      od::array formats;
      if (value.get_array().get(formats)) return std::nullopt;
      FormatList list;
      for (auto item : formats) {
        if (item.get_string().get(text) || !list.add(text, request)) return std::nullopt;
      }
      list.finish(request);
    } else if (key == "sources") {
      if (value.get_string().get(text) || text.empty()) return std::nullopt;
      request.sources.assign(text);
    } else if (key == "as_of") {
      if (value.get_string().get(text)) return std::nullopt;
      request.as_of = parse_as_of(text);
      if (!request.as_of) return std::nullopt;
    } else if (key == "record") {
      if (value.get_bool().get(request.record)) return std::nullopt;
    } else {
      return std::nullopt;
    }
  }
  // Nothing after the object: simdjson 3.0 has no at_end(), but a location past the end is an error.
  if (document.current_location().error() != simdjson::OUT_OF_BOUNDS) return std::nullopt;
  if (!snapshot_apart && (has_snapshot == !request.sources.empty() || (request.as_of && request.sources.empty()))) return std::nullopt;
  // The checked path reads overrides in the order of nlohmann's object: by name.
  std::sort(request.overrides.begin(), request.overrides.end(), [](const std::string& a, const std::string& b) {
    return std::string_view(a).substr(0, a.find('=')) < std::string_view(b).substr(0, b.find('='));
  });
  for (std::size_t idx = 1; idx < request.overrides.size(); ++idx) {
    const auto& a = request.overrides[idx - 1];
    const auto& b = request.overrides[idx];
    if (a.substr(0, a.find('=')) == b.substr(0, b.find('='))) return std::nullopt;  // a repeated name: the checked path keeps one
  }
  return request;
}

std::size_t skip_space(std::string_view text, std::size_t at) {
  while (at < text.size() && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) ++at;
  return at;
}

// NOTE(serve): a body that begins with its snapshot, as clients write it ({"snapshot": {...},
// "profile": ...}), is split without reading the snapshot: read_plain_request read all 30 KB of
// it (simdjson's index and a walk to the end of the snapshot) only to find where it ends, a
// fifth of a summary request's instructions, and Snapshot::from_json reads it all again. Here
// the snapshot's end is taken to be the first `}` (memchr) followed by `,"profile"` (or another
// field besides the snapshot) or by the body's last `}`, and the rest must read as an object of
// those fields, else the whole body is read as before. In a valid body no `}` before the
// snapshot's end has a rest that reads: one inside a string is followed by the string's closing
// quote, and one between values leaves more closing braces than opening ones after it. The
// snapshot is then what lies between; Snapshot::from_json reads it, and if it refuses, the caller
// reads the whole body again (check_decide_request), as before, to tell a malformed body from a
// wrong snapshot (a body whose snapshot and rest both read is valid).

// Whether `text` at `at` is `"NAME"` for a field besides the snapshot.
bool names_other_field(std::string_view text, std::size_t at) {
  for (const std::string_view name : {"\"profile\"", "\"formats\"", "\"overrides\"", "\"record\""}) {
    if (text.substr(at, name.size()) == name) return true;
  }
  return false;
}

std::optional<DecideRequest> read_snapshot_first(const std::string& body) {
  const std::string_view text(body);
  std::size_t at = skip_space(text, 0);
  if (at >= text.size() || text[at] != '{') return std::nullopt;
  at = skip_space(text, at + 1);
  static constexpr std::string_view kSnapshotKey = "\"snapshot\"";
  if (text.substr(at, kSnapshotKey.size()) != kSnapshotKey) return std::nullopt;
  at = skip_space(text, at + kSnapshotKey.size());
  if (at >= text.size() || text[at] != ':') return std::nullopt;
  const std::size_t snapshot_from = skip_space(text, at + 1);
  if (snapshot_from >= text.size() || text[snapshot_from] != '{') return std::nullopt;
  for (std::size_t end = snapshot_from + 1; (end = text.find('}', end)) != std::string_view::npos; ++end) {
    std::size_t next = skip_space(text, end + 1);
    if (next >= text.size()) break;
    if (text[next] == ',') {
      next = skip_space(text, next + 1);
      if (!names_other_field(text, next)) continue;
    } else if (text[next] != '}' || skip_space(text, next + 1) != text.size()) {
      continue;
    }
    // The other fields as an object of their own: `{` in place of the `,` (`{}` when none).
    auto request = read_plain_request("{" + body.substr(next), true);
    if (request) request->snapshot_json.assign(text.substr(snapshot_from, end + 1 - snapshot_from));
    return request;
  }
  return std::nullopt;
}

}  // namespace

Result<DecideRequest> parse_decide_request(const std::string& body) {
  if (auto split = read_snapshot_first(body)) return std::move(*split);
  if (auto plain = read_plain_request(body)) return std::move(*plain);
  return check_decide_request(body);
}

Result<DecideRequest> check_decide_request(const std::string& body) {
  nlohmann::json document;
  try {
    document = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return Error(ErrorKind::kUsage, positioned(error));
  }
  if (!document.is_object()) return Error(ErrorKind::kUsage, "request body: expected a JSON object");
  DecideRequest request;
  std::vector<std::string> errors;
  bool has_snapshot = false;
  for (const auto& [key, value] : document.items()) {
    if (key == "snapshot") {
      has_snapshot = true;
      if (!value.is_object()) errors.emplace_back("field `snapshot` must be an object (riskoff.snapshot/1)");
      else request.snapshot_json = value.dump();
    } else if (key == "profile") {
      if (!value.is_string()) errors.emplace_back("field `profile` must be a string");
      else request.profile = value.get<std::string>();
    } else if (key == "overrides") {
      if (!value.is_object()) {
        errors.emplace_back("field `overrides` must be an object of NAME: \"VALUE\" (\"yield_jump\": \"20bp\")");
        continue;
      }
      for (const auto& [name, setting] : value.items()) {
        if (!setting.is_string()) errors.push_back("override `" + name + "` must be a string with its unit, e.g. \"20bp\"");
        else request.overrides.push_back(name + "=" + setting.get<std::string>());
      }
    } else if (key == "formats") {
      read_formats(value, request, errors);
    } else if (key == "sources") {
      if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
        errors.emplace_back("field `sources` must be the name of a manifest the server was started with (--sources NAME=FILE)");
      } else {
        request.sources = value.get<std::string>();
      }
    } else if (key == "as_of") {
      const auto parsed = value.is_string() ? parse_as_of(value.get<std::string>()) : std::nullopt;
      if (!parsed) errors.emplace_back("field `as_of` must be a UTC date or time such as 2026-02-04 or 2026-02-04T21:00:00Z");
      else request.as_of = parsed;
    } else if (key == "record") {
      if (!value.is_boolean()) errors.emplace_back("field `record` must be true or false");
      else request.record = value.get<bool>();
    } else {
      errors.push_back("unknown field `" + key + "`; fields are snapshot, sources, as_of, profile, overrides, formats, record");
    }
  }
  if (has_snapshot == !request.sources.empty()) {
    errors.emplace_back(has_snapshot ? "give one of `snapshot` and `sources`, not both"
                                     : "field `snapshot` is required (or `sources`, naming a manifest of the server)");
  }
  if (request.as_of && request.sources.empty()) errors.emplace_back("field `as_of` goes with `sources`");
  if (!errors.empty()) return Error(ErrorKind::kUsage, std::move(errors));
  return request;
}

}  // namespace riskoff::serve
