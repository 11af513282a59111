// Rule files as the diagnostics and explanations see them: text, a name, and a line table.
//
// Contract: a SourceFile owns its text and never changes after construction, so Spans and
// string_views into it stay valid for the SourceFile's lifetime. A SourceSet owns several files
// (a ruleset and its imports) and hands out stable SourceIds. Neither type is thread-safe for
// mutation; reading a finished set from many threads is safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace riskoff {

// Byte offsets into one SourceFile's text, half-open: [begin, end).
struct Span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

// 1-based line; 1-based column counted in Unicode code points (what an editor shows).
struct LineCol {
  std::uint32_t line = 1;
  std::uint32_t column = 1;
};

enum class SourceId : std::uint32_t {};

class SourceFile {
 public:
  SourceFile(std::string name, std::string text);

  std::string_view name() const { return name_; }
  std::string_view text() const { return text_; }
  LineCol line_col(std::uint32_t offset) const;
  // The text of a 1-based line without its line terminator.
  std::string_view line_text(std::uint32_t line) const;
  std::uint32_t line_count() const { return static_cast<std::uint32_t>(line_starts_.size()); }

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;  // Invariant: line_starts_[0] == 0, ascending.
};

class SourceSet {
 public:
  SourceId add(std::string name, std::string text);
  const SourceFile& file(SourceId id) const { return *files_.at(static_cast<std::size_t>(id)); }
  std::size_t size() const { return files_.size(); }

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;  // unique_ptr: files never move once added.
};

}  // namespace riskoff
