#include "adapters/json_document.hpp"

#include <algorithm>
#include <cstdint>
#include <simdjson.h>

namespace riskoff::adapters::schema {
namespace {

using nlohmann::json;

// Line and column of a byte offset, for JSON syntax errors.
std::string position(std::string_view text, std::size_t byte) {
  const std::string_view before = text.substr(0, byte);
  std::size_t line = 1, line_start = 0;
  for (auto at = before.find('\n'); at != std::string_view::npos; at = before.find('\n', at + 1)) {
    ++line;
    line_start = at + 1;
  }
  return std::to_string(line) + ":" + std::to_string(before.size() - line_start + 1);
}

// The careful reader, for text simdjson refuses or might read differently: builds the document as
// nlohmann's own DOM parser does (a repeated key keeps the last value) and notes every key an
// object repeats on the way. The object being filled is at hand, so a repeat is one lookup.
class DocumentBuilder {
 public:
  DocumentBuilder(json& root, std::vector<Duplicate>& duplicates) : root_(root), duplicates_(duplicates) {}

  bool null() { return place(nullptr); }
  bool boolean(bool value) { return place(value); }
  bool number_integer(json::number_integer_t value) { return place(value); }
  bool number_unsigned(json::number_unsigned_t value) { return place(value); }
  bool number_float(json::number_float_t value, const std::string&) { return place(value); }
  bool string(std::string& value) { return place(std::move(value)); }
  bool binary(json::binary_t& value) { return place(json::binary(std::move(value))); }
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& key) {
    Open& top = open_.back();
    auto& members = top.value->get_ref<json::object_t&>();
    const auto [slot, added] = members.try_emplace(std::move(key));  // not moved from when present
    top.key = &slot->first;
    top.slot = &slot->second;
    if (!added && duplicates_.size() < 20) {
      Duplicate duplicate{{}, slot->first};
      for (std::size_t depth = 0; depth + 1 < open_.size(); ++depth) {
        const Open& outer = open_[depth];
        if (outer.key != nullptr) duplicate.path.emplace_back(*outer.key);
        else duplicate.path.emplace_back(outer.value->size() - 1);
      }
      duplicates_.push_back(std::move(duplicate));
    }
    return true;
  }

  // Syntax errors and numbers out of range arrive here; thrown as json::parse would throw them.
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& error) {
    throw error;
  }

 private:
  struct Open {
    json* value;                         // the object or array being filled
    const std::string* key = nullptr;    // objects: the member being read
    json* slot = nullptr;                // objects: where its value goes
  };

  // Where the next value goes: the root, the end of an array or the slot of the last key. A
  // pointer into an array stays valid while its value is open: nothing else is added meanwhile.
  json* slot_for(json&& value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return &root_;
    }
    Open& top = open_.back();
    if (top.value->is_array()) {
      auto& items = top.value->get_ref<json::array_t&>();
      items.push_back(std::move(value));
      return &items.back();
    }
    *top.slot = std::move(value);
    return top.slot;
  }
  bool place(json&& value) {
    slot_for(std::move(value));
    return true;
  }
  bool open(json&& container) {
    open_.push_back({slot_for(std::move(container))});
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  json& root_;
  std::vector<Duplicate>& duplicates_;
  std::vector<Open> open_;
};

// The fast reader: simdjson's tree (an optimized system library, a small share of the time the
// careful reader takes, sanitizers on or off) copied into nlohmann's in document order, noting
// repeated keys on the way. Nothing when simdjson refuses the text (a syntax error, a number out
// of range, a byte-order mark, nesting deeper than kMaxDepth): the careful reader then reads it
// again and gives nlohmann's document or its message, so what riskoff says never depends on
// which reader ran. Both read every number the same (the correctly rounded double; an integer
// without a minus sign unsigned, as nlohmann stores it); `-0` alone becomes an unsigned 0, not
// nlohmann's signed one: the same value, the same text when written, the same messages.
class TreeCopy {
 public:
  explicit TreeCopy(std::vector<Duplicate>& duplicates) : duplicates_(duplicates) {}

  std::optional<json> read(std::string_view text) {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
    json document;
    if (!copy(root, document)) return std::nullopt;
    return document;
  }

 private:
  // Deeper documents take the careful reader, whose parse is not recursive.
  static constexpr std::size_t kMaxDepth = 256;

  bool copy(simdjson::dom::element from, json& to) {
    switch (from.type()) {
      case simdjson::dom::element_type::ARRAY:
        return path_.size() < kMaxDepth && copy_array(from.get_array().value_unsafe(), to);
      case simdjson::dom::element_type::OBJECT:
        return path_.size() < kMaxDepth && copy_object(from.get_object().value_unsafe(), to);
      case simdjson::dom::element_type::INT64: {
        const std::int64_t number = from.get_int64().value_unsafe();
        if (number >= 0) to = static_cast<json::number_unsigned_t>(number);
        else to = number;
        return true;
      }
      case simdjson::dom::element_type::UINT64: to = from.get_uint64().value_unsafe(); return true;
      case simdjson::dom::element_type::DOUBLE: to = from.get_double().value_unsafe(); return true;
      case simdjson::dom::element_type::STRING: to = std::string(from.get_string().value_unsafe()); return true;
      case simdjson::dom::element_type::BOOL: to = from.get_bool().value_unsafe(); return true;
      case simdjson::dom::element_type::NULL_VALUE: to = nullptr; return true;
    }
    return false;
  }

  // `from` copied into `to` with `step` on the path meanwhile.
  template <class Step>
  bool copy_at(Step step, simdjson::dom::element from, json& to) {
    path_.emplace_back(step);
    const bool copied = copy(from, to);
    path_.pop_back();
    return copied;
  }

  bool copy_array(simdjson::dom::array from, json& to) {
    auto& items = (to = json::array()).get_ref<json::array_t&>();
    for (const simdjson::dom::element item : from) {
      const std::size_t index = items.size();
      if (!copy_at(index, item, items.emplace_back())) return false;
    }
    return true;
  }

  bool copy_object(simdjson::dom::object from, json& to) {
    auto& members = (to = json::object()).get_ref<json::object_t&>();
    for (const simdjson::dom::key_value_pair member : from) {
      const auto [slot, added] = members.try_emplace(std::string(member.key));
      if (!added && duplicates_.size() < 20) {
        Duplicate duplicate{{}, slot->first};
        for (const auto& step : path_) {
          if (const auto* key = std::get_if<std::string_view>(&step)) duplicate.path.emplace_back(std::string(*key));
          else duplicate.path.emplace_back(std::get<std::size_t>(step));
        }
        duplicates_.push_back(std::move(duplicate));
      }
      // A map's keys stay where they are while the path points at them.
      if (!copy_at(std::string_view(slot->first), member.value, slot->second)) return false;
    }
    return true;
  }

  std::vector<Duplicate>& duplicates_;
  std::vector<std::variant<std::string_view, std::size_t>> path_;  // to the value being copied
};

}  // namespace

std::optional<json> parse_document(std::string_view text, std::vector<Duplicate>& duplicates,
                                   std::vector<std::string>& problems) {
  // The parser may take a NUL byte for the end of the text: refuse it, or whatever follows it
  // (a second document, junk) would be silently ignored.
  if (const auto nul = text.find('\0'); nul != std::string_view::npos) {
    problems.push_back("byte " + std::to_string(nul) + " is NUL: JSON text has none");
    return std::nullopt;
  }
  // Whitespace alone holds no value. nlohmann says so only after copying every byte of it into
  // its token buffer (100 MB of spaces took 19 CPU-s under ASan); it says the same of an empty
  // text, placed where this one ends.
  const bool blank = std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
  if (!blank) {
    if (auto document = TreeCopy(duplicates).read(text)) return document;
    duplicates.clear();
  }
  const std::size_t skipped = blank ? text.size() : 0;
  try {
    json document;
    DocumentBuilder builder(document, duplicates);
    json::sax_parse(text.begin() + skipped, text.end(), &builder);
    return document;
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // nlohmann prefixes "[json.exception.parse_error.101] parse error at line 1, column 2: ".
    if (const auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    problems.push_back(position(text, skipped + (e.byte == 0 ? 0 : e.byte - 1)) + ": not valid JSON: " + what);
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

}  // namespace riskoff::adapters::schema
