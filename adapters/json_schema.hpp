// One validation pass over every JSON document riskoff reads (the sources manifest, snapshots,
// provider answers) before anything acts on it: syntax, duplicate keys, types, allowed
// spellings, ranges, finite numbers and unknown keys (with "did you mean"). A schema is a
// constexpr table of Nodes, written once beside the reader that uses it. Internal to adapters/.
//
//   const auto checked = schema::read_document(text, kManifestSchema);
//   for (const auto& problem : checked.problems) report(file + ": " + problem);
//   if (checked.ok()) use(checked.document);   // every type the schema names is now as said
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff::adapters::schema {

// JSON types a value may have, as a set: `kString | kNull`.
struct Types {
  std::uint8_t bits = 0;
};
constexpr Types operator|(Types a, Types b) { return Types{static_cast<std::uint8_t>(a.bits | b.bits)}; }
inline constexpr Types kNull{1};
inline constexpr Types kBoolean{2};
inline constexpr Types kInteger{4};  // a number without fraction or exponent
inline constexpr Types kNumber{8};   // any finite number, integers included
inline constexpr Types kString{16};
inline constexpr Types kArray{32};
inline constexpr Types kObject{64};

// What an object's keys beyond its listed members mean.
enum class OtherKeys : std::uint8_t {
  kRefused,  // a typo must not pass unnoticed (the manifest, snapshots): unknown key, did you mean
  kAllowed,  // providers add fields at will: only the listed members are checked
  kEntries,  // keys are names the author chooses (`inputs`): every value has the `items` shape
};

enum class Presence : std::uint8_t { kOptional, kRequired };

struct Member;

// The bounds of a number nothing restricts but finiteness.
inline constexpr double kNoMinimum = std::numeric_limits<double>::lowest();
inline constexpr double kNoMaximum = std::numeric_limits<double>::max();

// What one JSON value must be. Numbers are always finite; `minimum`/`maximum` bound them.
struct Node {
  Types types;
  std::span<const std::string_view> one_of = {};  // a string's allowed spellings (case-sensitive)
  double minimum = kNoMinimum;
  double maximum = kNoMaximum;
  std::span<const Member> members = {};           // an object's known keys
  OtherKeys other_keys = OtherKeys::kRefused;
  const Node* items = nullptr;                    // every item of an array, every entry of kEntries
  std::string_view entry_label = {};              // kEntries: how an entry is named ("input")
};

struct Member {
  std::string_view key;
  const Node* node;
  Presence presence = Presence::kOptional;
};

// Nodes every schema uses: any JSON value (a provider's or a snapshot's field we do not read),
// and any string.
inline constexpr Types kAnything = kNull | kBoolean | kNumber | kString | kArray | kObject;
inline constexpr Node kAny{kAnything, {}, kNoMinimum, kNoMaximum, {}, OtherKeys::kAllowed};
inline constexpr Node kText{kString};

// A parsed document and what is wrong with it, each problem "<where>: <what>" with no file
// name (the caller knows it): "input `btc_funding`: unknown key `scal`; did you mean `scale`?".
struct Checked {
  nlohmann::json document;
  std::vector<std::string> problems;
  bool ok() const { return problems.empty(); }
};

// Parses `text` (syntax errors are "line:col: not valid JSON: ..."; a NUL byte, a number out of
// range and a repeated key in one object are problems too: the default parse would silently
// keep the last), then validates the document against `root`. At most `limit` problems.
Checked read_document(std::string_view text, const Node& root, std::size_t limit = 20);

// Problems of an already parsed value (the duplicate-key check needs read_document).
std::vector<std::string> validate(const nlohmann::json& value, const Node& root, std::size_t limit = 20);

// "a string `\"100\"`", "the number 5", "an array", "null": what was found, for messages.
std::string describe(const nlohmann::json& value);

// Every key an object node lists, in table order (the test that compares the shipped JSON
// Schema files with these tables reads them).
std::vector<std::string> member_keys(const Node& node);

}  // namespace riskoff::adapters::schema
