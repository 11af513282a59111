#include "lsp/transport.hpp"

#include <charconv>
#include <string_view>

namespace riskoff::lsp {

namespace {

enum class LineRead : unsigned char { kLine, kEnd, kTooLong };

// One header line without its "\r\n"; at most kMaxHeaderLine bytes.
LineRead read_line(std::FILE* in, std::string& line) {
  line.clear();
  for (;;) {
    const int c = std::fgetc(in);
    if (c == EOF) return line.empty() ? LineRead::kEnd : LineRead::kLine;
    if (c == '\n') break;
    if (line.size() == kMaxHeaderLine) {
      // Skip the rest of the line so the next read starts at a header boundary.
      for (int rest = c; rest != EOF && rest != '\n'; rest = std::fgetc(in)) {
      }
      return LineRead::kTooLong;
    }
    line.push_back(static_cast<char>(c));
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return LineRead::kLine;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

Frame read_frame(std::FILE* in) {
  Frame frame;
  std::string line;
  std::size_t headers = 0;
  bool have_length = false;
  bool bad_length = false;
  unsigned long long length = 0;
  for (;;) {
    const LineRead read = read_line(in, line);
    if (read == LineRead::kEnd) {
      if (headers == 0) return frame;  // kEnd
      frame.status = Frame::Status::kBadHeader;
      frame.error = "the stream ended inside a message header";
      return frame;
    }
    if (read == LineRead::kTooLong) {
      frame.error = "a header line longer than " + std::to_string(kMaxHeaderLine) + " bytes";
      bad_length = true;
      ++headers;
      continue;
    }
    if (line.empty()) {
      if (headers == 0) continue;  // stray blank lines between messages
      break;
    }
    if (++headers > kMaxHeaders) {
      frame.error = "more than " + std::to_string(kMaxHeaders) + " header lines";
      bad_length = true;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string::npos) {
      frame.error = "a header line without `:`";
      bad_length = true;
      continue;
    }
    if (!equals_ignoring_case(std::string_view(line).substr(0, colon), "Content-Length")) continue;
    std::string_view value = std::string_view(line).substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (error != std::errc() || end != value.data() + value.size()) {
      frame.error = "Content-Length `" + std::string(value.substr(0, 40)) + "` is not a whole number of bytes";
      bad_length = true;
      continue;
    }
    have_length = true;
  }
  if (bad_length || !have_length) {
    frame.status = Frame::Status::kBadHeader;
    if (frame.error.empty()) frame.error = "a message header without Content-Length";
    return frame;
  }
  if (length > kMaxMessageBytes) {
    frame.status = Frame::Status::kTooLarge;
    frame.error = "a message of " + std::to_string(length) + " bytes is over the limit of " +
                  std::to_string(kMaxMessageBytes) + " bytes";
    // Skipped in small pieces, never held: the next message starts after it.
    char sink[4096];
    for (unsigned long long left = length; left > 0;) {
      const std::size_t got = std::fread(sink, 1, left < sizeof sink ? static_cast<std::size_t>(left) : sizeof sink, in);
      if (got == 0) break;
      left -= got;
    }
    return frame;
  }
  frame.body.resize(static_cast<std::size_t>(length));
  const std::size_t got = length == 0 ? 0 : std::fread(frame.body.data(), 1, frame.body.size(), in);
  if (got != frame.body.size()) {
    frame.status = Frame::Status::kBadHeader;
    frame.error = "the stream ended after " + std::to_string(got) + " of " + std::to_string(length) + " bytes";
    frame.body.clear();
    return frame;
  }
  frame.status = Frame::Status::kMessage;
  return frame;
}

void write_frame(std::FILE* out, const std::string& body) {
  const std::string header = "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  std::fwrite(header.data(), 1, header.size(), out);
  std::fwrite(body.data(), 1, body.size(), out);
  std::fflush(out);
}

}  // namespace riskoff::lsp
