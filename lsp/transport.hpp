// JSON-RPC framing over a byte stream (LSP's base protocol): `Content-Length: N\r\n\r\n` then N
// bytes of JSON. Bounded: a header line, the number of headers and a message body all have a
// limit, so a hostile or broken client cannot make the server allocate without end.
#pragma once

#include <cstddef>
#include <cstdio>
#include <string>

namespace riskoff::lsp {

inline constexpr std::size_t kMaxMessageBytes = 16u << 20;  // 16 MiB: a 4 MiB rule file, escaped
inline constexpr std::size_t kMaxHeaderLine = 1024;
inline constexpr std::size_t kMaxHeaders = 32;

struct Frame {
  enum class Status : unsigned char {
    kMessage,   // body holds one message (not yet parsed)
    kEnd,       // the stream ended between messages
    kBadHeader, // headers without a usable Content-Length; error says why, the body is lost
    kTooLarge,  // Content-Length over kMaxMessageBytes; the body was skipped
  } status = Status::kEnd;
  std::string body;
  std::string error;
};

// Reads the next frame from `in`. Never allocates more than kMaxMessageBytes for a body.
Frame read_frame(std::FILE* in);
// Writes one message with its header and flushes.
void write_frame(std::FILE* out, const std::string& body);

}  // namespace riskoff::lsp
