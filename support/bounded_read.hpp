// The one way riskoff reads a file: regular files only, and never more than a limit. A FIFO
// would block a read forever and /dev/zero never ends, so the file is opened without blocking
// and checked on the opened descriptor (no gap between the check and the read); the limit is
// checked while reading, so a file that grows past it is never held whole.
//
// Errors are Result (ErrorKind::kIo for a file that cannot be had, kData for one over the
// limit) with messages that leave the path to the caller, who prefixes it as every message of
// its stage does: "cannot open file", "is not a regular file (a FIFO)", "is larger than the
// limit of 4 MiB (4194304 bytes) for rule files".
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "riskoff/result.hpp"

namespace riskoff::support {

// Whether the last component of the path may be a symbolic link. kRefuse is for files in a
// folder others could plant links in (the HTTP cache).
enum class Links : std::uint8_t { kFollow, kRefuse };

// What a read does with a file larger than the limit: refuse it (kRefuse), or return the first
// `max_bytes + 1` bytes so the caller can report the excess in its own words (kKeepPrefix).
enum class Oversize : std::uint8_t { kRefuse, kKeepPrefix };

struct ReadLimit {
  std::uint64_t max_bytes = 0;
  std::string_view what = "files";  // in the message: "... limit (...) for <what>"
  Oversize oversize = Oversize::kRefuse;
  Links links = Links::kFollow;
};

// "4 MiB", "512 KiB", "100 bytes": a limit as people read it.
std::string describe_bytes(std::uint64_t bytes);

// Bytes of spare capacity a regular file's text comes with: what a parser reading ahead in
// 64-byte blocks needs (simdjson's padding, adapters/snapshot_simdjson.cpp), so the text is
// parsed where it was read instead of copied once more.
inline constexpr std::size_t kReadPadding = 64;

// Reads a regular file whole, within the limit; its capacity is at least size + kReadPadding.
Result<std::string> read_file_bounded(const std::string& path, const ReadLimit& limit);

// A regular file's bytes, mapped read-only when large (munmap'd when destroyed), read when
// smaller: what a reader that looks at only part of a large file (a data file's header and its
// newest rows) reads through, so the pages of a file of decades it never looks at are never
// copied. Below kMapFrom the file is read into the heap, whose pages a process reuses: on this
// VM a first touch of a mapped file's page costs ~100 us when loaded (~11 us quiet) and each
// munmap 50-90 us, while reading a 1 MiB file from the page cache costs ~70 us. A file
// truncated while mapped (another process rewriting it) would raise SIGBUS where its pages are
// gone: here they read as zeros instead (support/shrink_guard.hpp) and shrank() says so, for
// the reader to report the file.
class MappedFile {
 public:
  static constexpr std::uint64_t kMapFrom = 4u << 20;
  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
  std::string_view text() const { return {data_ ? static_cast<const char*>(data_) : read_.get(), size_}; }
  bool mapped() const { return data_ != nullptr; }
  // Whether pages past the file's end were touched since it was mapped: it was truncated, and
  // what text() gave is not the file (zeros where its pages were gone).
  bool shrank() const;

 private:
  friend Result<MappedFile> map_file_bounded(const std::string& path, const ReadLimit& limit);
  void* data_ = nullptr;  // the mapping, or null when read
  std::size_t size_ = 0;
  int watch_ = -1;  // the mapping's shrink_guard slot
  std::unique_ptr<char[]> read_;  // the bytes read, when not mapped
};

// A regular file with read_file_bounded's checks and messages, mapped from kMapFrom bytes; a
// file over the limit is always refused (kKeepPrefix has no meaning here).
Result<MappedFile> map_file_bounded(const std::string& path, const ReadLimit& limit);

// Reads an already open descriptor to its end, within the limit (standard input for `-`).
Result<std::string> read_descriptor_bounded(int fd, const ReadLimit& limit);

// The message for a body or file past the limit (also the HTTP body limit's wording).
std::string too_large_message(const ReadLimit& limit);

}  // namespace riskoff::support
