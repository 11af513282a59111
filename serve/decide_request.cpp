#include "serve/decide_request.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace riskoff::serve {
namespace {

struct FormatName {
  const char* name;
  Format format;
};
constexpr FormatName kFormats[] = {{"json", Format::kJson},
                                   {"text", Format::kText},
                                   {"text_verbose", Format::kTextVerbose},
                                   {"markdown", Format::kMarkdown}};

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
    errors.emplace_back("field `formats` must be an array of format names (json, text, text_verbose, markdown)");
    return;
  }
  request.format_names = {"json"};
  request.formats = {Format::kJson};  // the decision is always returned as JSON
  for (const auto& item : value) {
    const FormatName* known = nullptr;
    for (const auto& candidate : kFormats) {
      if (item.is_string() && item.get_ref<const std::string&>() == candidate.name) known = &candidate;
    }
    if (known == nullptr) {
      errors.push_back("field `formats`: `" + (item.is_string() ? item.get<std::string>() : item.dump()) +
                       "` is not one of json, text, text_verbose, markdown");
      continue;
    }
    if (std::find(request.format_names.begin(), request.format_names.end(), known->name) != request.format_names.end()) {
      continue;
    }
    request.format_names.emplace_back(known->name);
    request.formats.push_back(known->format);
  }
}

}  // namespace

Result<DecideRequest> parse_decide_request(const std::string& body) {
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
