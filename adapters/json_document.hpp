// Reading JSON text into a document for schema::read_document (json_schema.cpp), noting every
// key an object repeats: nlohmann, like most readers, would silently keep the last. Internal to
// adapters/.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace riskoff::adapters::schema {

// A key seen twice in one object, and the path to that object (keys and array indexes).
struct Duplicate {
  std::vector<std::variant<std::string, std::size_t>> path;
  std::string key;
};

// The document `text` holds, the same one nlohmann::json::parse gives (a repeated key keeps its
// last value), with each repeated key (the first 20) in `duplicates`; or nothing, with why in
// `problems`: "line:col: not valid JSON: ..." as nlohmann says it, a NUL byte, a number out of
// range.
std::optional<nlohmann::json> parse_document(std::string_view text, std::vector<Duplicate>& duplicates,
                                             std::vector<std::string>& problems);

}  // namespace riskoff::adapters::schema
