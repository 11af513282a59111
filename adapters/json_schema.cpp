#include "adapters/json_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <unordered_set>
#include <variant>

#include "engine/check.hpp"

namespace riskoff::adapters::schema {
namespace {

using nlohmann::json;

std::string backticked(std::string_view text) {
  std::string shown(text.substr(0, 60));
  return "`" + shown + (text.size() > 60 ? "..." : "") + "`";
}

// The shortest spelling that reads back exactly: 10000 and 253402300799 as written, 1e+12
// and 0.1 as %g writes them.
std::string number_text(double value) {
  char buffer[32];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string shortest = buffer;
  if (std::fabs(value) < 1e15 && value == std::trunc(value)) {
    std::snprintf(buffer, sizeof buffer, "%.0f", value);
    if (std::string_view(buffer).size() < shortest.size() + 3) return buffer;
  }
  return shortest;
}

// Where a value sits, as messages say it: the named entry it belongs to ("input `us10y`"), then
// the JSON path inside it (`mapping.date_column`, `values[3]`).
struct Where {
  std::string entry;
  std::string path;
  Where member(std::string_view key) const { return {entry, path.empty() ? std::string(key) : path + "." + std::string(key)}; }
  Where item(std::size_t index) const { return {entry, path + "[" + std::to_string(index) + "]"}; }
  std::string text() const {
    if (path.empty()) return entry;
    return entry.empty() ? backticked(path) : entry + ", " + backticked(path);
  }
  std::string prefix() const {
    const std::string shown = text();
    return shown.empty() ? "" : shown + ": ";
  }
};

const Member* find_member(const Node& node, std::string_view key) {
  for (const auto& member : node.members) {
    if (member.key == key) return &member;
  }
  return nullptr;
}

// One step into an object: the member's node, or the entry's, or none (an unlisted key).
const Node* step_into(const Node* node, std::string_view key, const Where& where, Where& inner) {
  if (node != nullptr) {
    if (const Member* member = find_member(*node, key)) {
      inner = where.member(key);
      return member->node;
    }
    if (node->other_keys == OtherKeys::kEntries) {
      // A named entry starts a new place ("input `us10y`"); an unnamed one is a JSON path step.
      inner = node->entry_label.empty() ? where.member(key) : Where{std::string(node->entry_label) + " " + backticked(key), ""};
      return node->items;
    }
  }
  inner = where.member(key);
  return nullptr;
}

std::string type_names(Types types) {
  std::vector<std::string> names;
  if (types.bits & kObject.bits) names.push_back("an object");
  if (types.bits & kArray.bits) names.push_back("an array");
  if (types.bits & kString.bits) names.push_back("a string");
  if (types.bits & kNumber.bits) names.push_back("a number");
  else if (types.bits & kInteger.bits) names.push_back("a whole number");
  if (types.bits & kBoolean.bits) names.push_back("true or false");
  if (types.bits & kNull.bits) names.push_back("null");
  std::string out;
  for (std::size_t k = 0; k < names.size(); ++k) out += (k == 0 ? "" : k + 1 == names.size() ? " or " : ", ") + names[k];
  return out;
}

bool has_type(const json& value, Types types) {
  switch (value.type()) {
    case json::value_t::null: return types.bits & kNull.bits;
    case json::value_t::boolean: return types.bits & kBoolean.bits;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return types.bits & (kInteger.bits | kNumber.bits);
    case json::value_t::number_float: return types.bits & kNumber.bits;
    case json::value_t::string: return types.bits & kString.bits;
    case json::value_t::array: return types.bits & kArray.bits;
    case json::value_t::object: return types.bits & kObject.bits;
    default: return false;
  }
}

std::string spellings(std::span<const std::string_view> one_of) {
  std::string out;
  for (const auto spelling : one_of) out += (out.empty() ? "" : ", ") + backticked(spelling);
  return out;
}

bool same_but_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// The allowed spelling a wrong one was meant to be: the same letters in another case first.
std::string meant(std::string_view word, std::span<const std::string_view> candidates) {
  if (word.size() > 64) return {};  // edit distance is quadratic; nobody mistypes 64 letters
  for (const auto candidate : candidates) {
    if (same_but_case(word, candidate)) return std::string(candidate);
  }
  return engine::closest_match(word, std::vector<std::string>(candidates.begin(), candidates.end()));
}

std::string range_text(const Node& node) {
  const bool whole = !(node.types.bits & kNumber.bits);
  const std::string kind = whole ? "a whole number" : "a number";
  const bool low = node.minimum != kNoMinimum;
  const bool high = node.maximum != kNoMaximum;
  if (low && high) return kind + " from " + number_text(node.minimum) + " to " + number_text(node.maximum);
  if (low) return kind + " of at least " + number_text(node.minimum);
  if (high) return kind + " of at most " + number_text(node.maximum);
  return kind;
}

class Validator {
 public:
  Validator(std::vector<std::string>& problems, std::size_t limit) : problems_(problems), limit_(limit) {}

  void problem(const Where& where, const std::string& message) {
    if (problems_.size() < limit_) problems_.push_back(where.prefix() + message);
  }
  bool full() const { return problems_.size() >= limit_; }

  // The recursion follows the schema, not the document: an unlisted value is never descended,
  // so a deeply nested hostile document cannot exhaust the stack.
  void check(const json& value, const Node& node, const Where& where) {
    if (full()) return;
    if (!has_type(value, node.types)) {
      problem(where, "expected " + expected(node) + ", found " + describe(value));
      return;
    }
    if (value.is_number()) {
      const double number = value.get<double>();
      if (!std::isfinite(number) || number < node.minimum || number > node.maximum) {
        problem(where, "expected " + range_text(node) + ", found " + describe(value));
      }
    } else if (value.is_string() && !node.one_of.empty()) {
      const auto& text = value.get_ref<const std::string&>();
      if (std::find(node.one_of.begin(), node.one_of.end(), text) == node.one_of.end()) {
        // With one spelling allowed, "expected" already says what was meant.
        const std::string suggestion = node.one_of.size() > 1 ? meant(text, node.one_of) : "";
        const bool case_only = same_but_case(suggestion, text);
        problem(where, "expected one of " + spellings(node.one_of) + ", found " + backticked(text) +
                           (suggestion.empty() ? ""
                                               : "; did you mean " + backticked(suggestion) + "?" +
                                                     (case_only ? " (spellings are case-sensitive)" : "")));
      }
    } else if (value.is_array() && node.items != nullptr) {
      for (std::size_t index = 0; index < value.size() && !full(); ++index) check(value[index], *node.items, where.item(index));
    } else if (value.is_object()) {
      check_object(value, node, where);
    }
  }

 private:
  static std::string expected(const Node& node) {
    if (!node.one_of.empty()) return "one of " + spellings(node.one_of);
    if (node.types.bits & (kNumber.bits | kInteger.bits) && (node.minimum != kNoMinimum ||
                                                           node.maximum != kNoMaximum)) {
      return range_text(node);
    }
    return type_names(node.types);
  }

  void check_object(const json& value, const Node& node, const Where& where) {
    for (const auto& member : node.members) {
      if (member.presence == Presence::kRequired && !value.contains(member.key)) {
        problem(where, "missing " + backticked(member.key) + " (expected " + expected(*member.node) + ")");
      }
    }
    std::vector<std::string_view> keys;
    for (const auto& member : node.members) keys.push_back(member.key);
    for (const auto& [key, item] : value.items()) {
      if (full()) return;
      Where inner;
      const Node* child = step_into(&node, key, where, inner);
      if (child != nullptr) {
        check(item, *child, inner);
      } else if (node.other_keys == OtherKeys::kRefused) {
        const std::string suggestion = meant(key, keys);
        problem(where, "unknown key " + backticked(key) +
                           (suggestion.empty() ? "; expected one of " + spellings(keys)
                                               : "; did you mean " + backticked(suggestion) + "?"));
      }
    }
  }

  std::vector<std::string>& problems_;
  std::size_t limit_;
};

// A key seen twice in one object, and the path to that object (keys and array indexes).
struct Duplicate {
  std::vector<std::variant<std::string, std::size_t>> path;
  std::string key;
};

// Line and column of a byte offset, for JSON syntax errors.
std::string position(std::string_view text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t at = 0; at < byte && at < text.size(); ++at) {
    if (text[at] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

// Parses, noting every key an object repeats (nlohmann keeps the last one silently).
std::optional<json> parse(std::string_view text, std::vector<Duplicate>& duplicates, std::vector<std::string>& problems) {
  // The parser may take a NUL byte for the end of the text: refuse it, or whatever follows it
  // (a second document, junk) would be silently ignored.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    problems.push_back("byte " + std::to_string(nul) + " is NUL: JSON text has none");
    return std::nullopt;
  }
  struct Frame {
    bool object = false;
    std::size_t items = 0;  // arrays: items started so far
    std::string key;        // objects: the key being read
    std::unordered_set<std::string> keys;
  };
  std::vector<Frame> frames;
  auto started = [&] {
    if (!frames.empty() && !frames.back().object) ++frames.back().items;
  };
  const json::parser_callback_t note = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        started();
        frames.emplace_back().object = event == json::parse_event_t::object_start;
        break;
      case json::parse_event_t::key: {
        Frame& frame = frames.back();
        frame.key = parsed.get<std::string>();
        if (!frame.keys.insert(frame.key).second && duplicates.size() < 20) {
          Duplicate duplicate{{}, frame.key};
          for (std::size_t depth = 0; depth + 1 < frames.size(); ++depth) {
            if (frames[depth].object) duplicate.path.emplace_back(frames[depth].key);
            else duplicate.path.emplace_back(frames[depth].items - 1);
          }
          duplicates.push_back(std::move(duplicate));
        }
        break;
      }
      case json::parse_event_t::value: started(); break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end: frames.pop_back(); break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), note);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    problems.push_back(position(text, e.byte == 0 ? 0 : e.byte - 1) + ": not valid JSON: " + what);
  } catch (const json::exception& e) {
    // Numbers out of range (1e999) and the like: still the user's file, still a message.
    std::string what = e.what();
    if (const auto bracket = what.find("] "); bracket != std::string::npos) what = what.substr(bracket + 2);
    // The exception has no position; the number it quotes (`parsing '1e999'`) gives one.
    std::string where;
    if (const auto quote = what.find('\''); quote != std::string::npos) {
      const std::string token = what.substr(quote + 1, what.find('\'', quote + 1) - quote - 1);
      if (const auto at = text.find(token); !token.empty() && at != std::string_view::npos) where = position(text, at) + ": ";
    }
    problems.push_back(where + "not valid JSON: " + what + " (not a finite number)");
  }
  return std::nullopt;
}

}  // namespace

std::string describe(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return value.get<bool>() ? "`true`" : "`false`";
    // Quoted by hand: dump() of a long string would copy it whole only to be cut at 60 bytes.
    case json::value_t::string: return "a string " + backticked("\"" + value.get_ref<const std::string&>().substr(0, 64) + "\"");
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    case json::value_t::number_float: return "the number " + number_text(value.get<double>());
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "the number " + value.dump();
    default: return "nothing";
  }
}

std::vector<std::string> validate(const json& value, const Node& root, std::size_t limit) {
  std::vector<std::string> problems;
  Validator(problems, limit).check(value, root, {});
  return problems;
}

Checked read_document(std::string_view text, const Node& root, std::size_t limit) {
  Checked checked;
  std::vector<Duplicate> duplicates;
  auto parsed = parse(text, duplicates, checked.problems);
  if (!parsed) return checked;
  checked.document = std::move(*parsed);
  for (const auto& duplicate : duplicates) {
    if (checked.problems.size() >= limit) break;
    // Name the object the way validation would: walk the schema along the path.
    const Node* node = &root;
    Where where;
    for (const auto& step : duplicate.path) {
      if (const auto* key = std::get_if<std::string>(&step)) {
        Where inner;
        node = step_into(node, *key, where, inner);
        where = inner;
      } else {
        where = where.item(std::get<std::size_t>(step));
        node = node != nullptr ? node->items : nullptr;
      }
    }
    checked.problems.push_back(where.prefix() + "duplicate key " + backticked(duplicate.key) +
                               " (only one may be given; a JSON reader would silently keep the last)");
  }
  if (checked.problems.size() < limit) {
    auto more = validate(checked.document, root, limit - checked.problems.size());
    checked.problems.insert(checked.problems.end(), more.begin(), more.end());
  }
  return checked;
}

std::vector<std::string> member_keys(const Node& node) {
  std::vector<std::string> keys;
  for (const auto& member : node.members) keys.emplace_back(member.key);
  return keys;
}

}  // namespace riskoff::adapters::schema
