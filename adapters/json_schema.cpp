#include "adapters/json_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <variant>

#include "adapters/json_document.hpp"
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
// the JSON path inside it (`mapping.date_column`, `values[3]`). Kept as the step from the place
// around it and spelled out only when a message names it: validation passes every value of a
// provider's years of answers, and hardly any of them has a problem.
struct Where {
  const Where* outer = nullptr;  // none: the document itself
  std::string_view key;          // a member's key, or a named entry's name
  std::string_view entry_label;  // a named entry ("input"): a new place starts here
  std::size_t index = 0;         // an item's
  bool item_step = false;

  Where member(std::string_view name) const { return {this, name, {}, 0, false}; }
  Where entry(std::string_view label, std::string_view name) const { return {this, name, label, 0, false}; }
  Where item(std::size_t at) const { return {this, {}, {}, at, true}; }
  std::string text() const {
    std::vector<const Where*> steps;  // back to the named entry or the document
    const Where* at = this;
    for (; at != nullptr && at->entry_label.empty(); at = at->outer) {
      if (at->outer != nullptr) steps.push_back(at);
    }
    const std::string entry = at == nullptr ? "" : std::string(at->entry_label) + " " + backticked(at->key);
    std::string path;
    for (auto step = steps.rbegin(); step != steps.rend(); ++step) {
      if ((*step)->item_step) path += "[" + std::to_string((*step)->index) + "]";
      else path += (path.empty() ? "" : ".") + std::string((*step)->key);
    }
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
      inner = node->entry_label.empty() ? where.member(key) : where.entry(node->entry_label, key);
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
  auto parsed = parse_document(text, duplicates, checked.problems);
  if (!parsed) return checked;
  checked.document = std::move(*parsed);
  for (const auto& duplicate : duplicates) {
    if (checked.problems.size() >= limit) break;
    // Name the object the way validation would: walk the schema along the path.
    const Node* node = &root;
    std::vector<Where> places(1);  // each step points at the one before: no reallocation
    places.reserve(duplicate.path.size() + 1);
    for (const auto& step : duplicate.path) {
      if (const auto* key = std::get_if<std::string>(&step)) {
        Where inner;
        node = step_into(node, *key, places.back(), inner);
        places.push_back(inner);
      } else {
        places.push_back(places.back().item(std::get<std::size_t>(step)));
        node = node != nullptr ? node->items : nullptr;
      }
    }
    checked.problems.push_back(places.back().prefix() + "duplicate key " + backticked(duplicate.key) +
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
