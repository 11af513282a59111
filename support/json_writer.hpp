// The one JSON writer every output of riskoff goes through (explanations, diagnostics, traces,
// snapshots, the audit export), with one number policy. Hand-written rather than a DOM because
// our outputs are contracts: fields in a fixed, documented order, byte-identical across runs,
// each in a layout people diff. nlohmann stays at the edges for *reading* JSON.
//
// Number policy: the shortest decimal that reads back as the same double (std::to_chars), laid
// out as printf's %g lays it out: plain from 1e-4 up to (not including) 1e15, with an exponent of
// at least two digits outside ("1e+21", "5e-324"). Non-finite numbers are written as `null`.
// `JsonFloats::kMarked` adds ".0" to an integral double in plain form ("30.0"), the way the
// snapshot format has always written values, so a reader can tell a double from an integer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff::support {

// How a container and the containers inside it are laid out.
enum class JsonLayout : std::uint8_t {
  kPretty,   // one member per line, indented; the closing bracket on its own line
  kSpaced,   // one line: {"a": 1, "b": [1, 2]}
  kCompact,  // one line, no spaces: {"a":1,"b":[1,2]}
};

enum class JsonFloats : std::uint8_t { kPlain, kMarked };

// A number under the policy above.
std::string json_number(double value, JsonFloats floats = JsonFloats::kPlain);
// A JSON string literal: quotes, `"` and `\` escaped, \n \r \t by name, other control
// characters as \u00XX; every other byte (UTF-8 included) passed through unchanged.
std::string json_quote(std::string_view text);
void append_json_quoted(std::string& out, std::string_view text);

class JsonWriter {
 public:
  explicit JsonWriter(JsonLayout layout = JsonLayout::kPretty, JsonFloats floats = JsonFloats::kPlain, int indent = 2)
      : layout_(layout), floats_(floats), indent_(indent) {}

  // A container in the writer's layout, or in `layout` for it and everything inside it.
  JsonWriter& begin_object() { return open('{', current_layout()); }
  JsonWriter& begin_object(JsonLayout layout) { return open('{', layout); }
  JsonWriter& end_object() { return close('}'); }
  JsonWriter& begin_array() { return open('[', current_layout()); }
  JsonWriter& begin_array(JsonLayout layout) { return open('[', layout); }
  JsonWriter& end_array() { return close(']'); }

  JsonWriter& key(std::string_view name);
  JsonWriter& string(std::string_view text);
  JsonWriter& number(double value);
  JsonWriter& integer(std::int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // A value that is already JSON text (a stored document), written as given; inside a pretty
  // container, its lines after the first are indented to the depth it stands at.
  JsonWriter& raw(std::string_view json);

  // Shorthands for a member: key, then the value.
  JsonWriter& field(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, const char* text) { return key(name).string(text); }
  JsonWriter& field_number(std::string_view name, double value) { return key(name).number(value); }
  JsonWriter& field_integer(std::string_view name, std::int64_t value) { return key(name).integer(value); }
  JsonWriter& field_bool(std::string_view name, bool value) { return key(name).boolean(value); }

  // Room for `bytes` of output, asked for once: a large document then is not grown by doubling,
  // which copies it and, past glibc's mmap threshold, faults every copy's pages in afresh.
  void reserve(std::size_t bytes) { out_.reserve(bytes); }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  struct Level {
    JsonLayout layout;
    bool empty = true;
  };
  JsonLayout current_layout() const { return levels_.empty() ? layout_ : levels_.back().layout; }
  JsonWriter& open(char bracket, JsonLayout layout);
  JsonWriter& close(char bracket);
  void before_value();  // the separator and indentation a value needs where it stands
  // Indentation counts only the pretty levels: a one-line record may hold a list laid out one
  // element per line, indented one step below the line that opened the record. Kept as a count,
  // not counted per line: a 48 MB explanation has 1.5 million lines.
  std::size_t pretty_depth() const { return pretty_levels_; }
  void newline(std::size_t depth);

  std::string out_;
  std::vector<Level> levels_;
  JsonLayout layout_;
  JsonFloats floats_;
  int indent_;
  bool after_key_ = false;
  std::size_t pretty_levels_ = 0;  // the levels_ laid out kPretty
};

}  // namespace riskoff::support
