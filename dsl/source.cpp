#include "riskoff/source.hpp"

#include <algorithm>
#include <cstring>

namespace riskoff {

SourceFile::SourceFile(std::string name, std::string text) : name_(std::move(name)), text_(std::move(text)) {
  line_starts_.push_back(0);
  const char* const first = text_.data();
  const char* const last = first + text_.size();
  for (const char* at = first; (at = static_cast<const char*>(std::memchr(at, '\n', last - at))) != nullptr;) {
    ++at;
    line_starts_.push_back(static_cast<std::uint32_t>(at - first));
  }
}

LineCol SourceFile::line_col(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto after = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line_index = static_cast<std::uint32_t>(after - line_starts_.begin()) - 1;
  std::uint32_t column = 1;
  // Count code points, not bytes: continuation bytes (10xxxxxx) do not start a character.
  for (std::uint32_t at = line_starts_[line_index]; at < offset; ++at) {
    if ((static_cast<unsigned char>(text_[at]) & 0xC0) != 0x80) ++column;
  }
  return {line_index + 1, column};
}

std::string_view SourceFile::line_text(std::uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  const std::uint32_t begin = line_starts_[line - 1];
  std::uint32_t end = line < line_starts_.size() ? line_starts_[line] : static_cast<std::uint32_t>(text_.size());
  std::string_view view(text_);
  view = view.substr(begin, end - begin);
  while (!view.empty() && (view.back() == '\n' || view.back() == '\r')) view.remove_suffix(1);
  return view;
}

SourceId SourceSet::add(std::string name, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(name), std::move(text)));
  return static_cast<SourceId>(files_.size() - 1);
}

}  // namespace riskoff
