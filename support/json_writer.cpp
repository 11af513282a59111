#include "support/json_writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace riskoff::support {
namespace {

// Plain notation from 1e-4 up to 1e15, as printf's %g does with 15 significant digits: every
// value the old writers printed plainly still is, and no plain number runs to 17+ digits.
constexpr int kPlainBelowExponent = 15;
constexpr int kPlainFromExponent = -4;

}  // namespace

std::string json_number(double value, JsonFloats floats) {
  if (!std::isfinite(value)) return "null";
  // The shortest round-trip digits in scientific form: [-]d[.ddd]e(+|-)XX.
  char sci[32];
  const auto [end, error] = std::to_chars(sci, sci + sizeof sci, value, std::chars_format::scientific);
  (void)error;  // 32 bytes hold every double ("-2.2250738585072014e-308" is 24)
  const std::string_view text(sci, static_cast<std::size_t>(end - sci));
  const std::size_t e = text.find('e');
  int exponent = 0;
  const char* sign = text.data() + e + 1;
  std::from_chars(sign + (*sign == '+' ? 1 : 0), end, exponent);
  if (exponent < kPlainFromExponent || exponent >= kPlainBelowExponent) return std::string(text);

  const bool negative = text.front() == '-';
  std::string digits;
  for (const char ch : text.substr(negative ? 1 : 0, e - (negative ? 1 : 0))) {
    if (ch != '.') digits += ch;
  }
  std::string out = negative ? "-" : "";
  if (exponent < 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-exponent - 1), '0');
    out += digits;
    return out;
  }
  const auto whole = static_cast<std::size_t>(exponent) + 1;
  if (digits.size() <= whole) {
    out += digits;
    out.append(whole - digits.size(), '0');
    if (floats == JsonFloats::kMarked) out += ".0";
  } else {
    out += digits.substr(0, whole);
    out += '.';
    out += digits.substr(whole);
  }
  return out;
}

void append_json_quoted(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  // Runs of bytes that need no escape are appended whole: nearly every text is one run.
  const auto plain = [](char ch) { return ch != '"' && ch != '\\' && static_cast<unsigned char>(ch) >= 0x20; };
  for (std::size_t at = 0; at < text.size();) {
    std::size_t run = at;
    while (run < text.size() && plain(text[run])) ++run;
    out.append(text.data() + at, run - at);
    if (run == text.size()) break;
    const char ch = text[run];
    at = run + 1;
    switch (ch) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (const auto byte = static_cast<unsigned char>(ch); byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        }
    }
  }
  out += '"';
}

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  append_json_quoted(out, text);
  return out;
}

JsonWriter& JsonWriter::open(char bracket, JsonLayout layout) {
  before_value();
  out_ += bracket;
  levels_.push_back(Level{layout});
  if (layout == JsonLayout::kPretty) ++pretty_levels_;
  return *this;
}

JsonWriter& JsonWriter::close(char bracket) {
  const Level level = levels_.back();
  levels_.pop_back();
  if (level.layout == JsonLayout::kPretty) --pretty_levels_;
  if (level.layout == JsonLayout::kPretty && !level.empty) newline(pretty_depth());
  out_ += bracket;
  return *this;
}

void JsonWriter::newline(std::size_t depth) {
  out_ += '\n';
  out_.append(depth * static_cast<std::size_t>(indent_), ' ');
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (levels_.empty()) return;
  Level& level = levels_.back();
  if (!level.empty) out_ += level.layout == JsonLayout::kSpaced ? ", " : ",";
  if (level.layout == JsonLayout::kPretty) newline(pretty_depth());
  level.empty = false;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  before_value();
  append_json_quoted(out_, name);
  out_ += current_layout() == JsonLayout::kCompact ? ":" : ": ";
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  before_value();
  append_json_quoted(out_, text);
  return *this;
}

JsonWriter& JsonWriter::number(double value) {
  before_value();
  out_ += json_number(value, floats_);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t value) {
  before_value();
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out_.append(buffer, result.ptr);
  return *this;
}

JsonWriter& JsonWriter::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::null() {
  before_value();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  before_value();
  const std::size_t depth = current_layout() == JsonLayout::kPretty ? pretty_depth() : 0;
  if (depth == 0) {
    out_ += json;
    return *this;
  }
  // A pretty document (a stored explanation) placed inside a pretty one: its lines are indented
  // to where it stands, so the whole reads as one document. Valid JSON has no raw newline inside
  // a string, so every newline here is layout.
  for (std::size_t at = 0; at < json.size();) {
    const std::size_t end = std::min(json.find('\n', at), json.size());
    out_.append(json.substr(at, end - at));
    if (end < json.size()) newline(depth);
    at = end + 1;
  }
  return *this;
}

}  // namespace riskoff::support
