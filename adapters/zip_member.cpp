#include "adapters/zip_member.hpp"

#include <zip.h>

#include <memory>

#include "support/bounded_read.hpp"

namespace riskoff::adapters {
namespace {

struct ArchiveCloser {
  void operator()(zip_t* archive) const { zip_discard(archive); }
};
struct FileCloser {
  void operator()(zip_file_t* file) const { zip_fclose(file); }
};

std::string libzip_message(zip_error_t* error) {
  std::string message = zip_error_strerror(error);
  zip_error_fini(error);
  return message;
}

}  // namespace

bool looks_like_zip(std::string_view bytes) { return bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06"); }

Result<std::string> read_zip_member(std::string_view archive, std::uint64_t max_bytes) {
  zip_error_t error;
  zip_error_init(&error);
  // The source does not own the bytes (freep = 0): they stay the caller's string.
  zip_source_t* source = zip_source_buffer_create(archive.data(), archive.size(), 0, &error);
  if (source == nullptr) return Error(ErrorKind::kData, "not a readable zip: " + libzip_message(&error));
  std::unique_ptr<zip_t, ArchiveCloser> opened(zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!opened) {
    zip_source_free(source);
    return Error(ErrorKind::kData, "not a readable zip: " + libzip_message(&error));
  }
  zip_error_fini(&error);
  const zip_int64_t entries = zip_get_num_entries(opened.get(), 0);
  if (entries != 1) {
    std::string names;
    for (zip_int64_t k = 0; k < entries && k < 3; ++k) {
      const char* name = zip_get_name(opened.get(), static_cast<zip_uint64_t>(k), 0);
      names += std::string(names.empty() ? "" : ", ") + "`" + (name != nullptr ? name : "?") + "`";
    }
    return Error(ErrorKind::kData, "the zip holds " + std::to_string(entries) + " files" +
                                       (names.empty() ? "" : " (" + names + (entries > 3 ? ", ..." : "") + ")") +
                                       "; expected one (a data.binance.vision dump holds one CSV)");
  }
  const char* raw_name = zip_get_name(opened.get(), 0, 0);
  const std::string name = raw_name != nullptr ? raw_name : "?";
  std::unique_ptr<zip_file_t, FileCloser> member(zip_fopen_index(opened.get(), 0, 0));
  if (!member) {
    return Error(ErrorKind::kData, "the zip member `" + name + "` cannot be read: " + zip_strerror(opened.get()));
  }
  // Read past the limit by one chunk at most: the sizes the archive declares are not trusted.
  std::string out;
  char chunk[1 << 16];
  for (;;) {
    const zip_int64_t got = zip_fread(member.get(), chunk, sizeof chunk);
    if (got < 0) {
      return Error(ErrorKind::kData, "the zip member `" + name + "` is damaged: " + zip_file_strerror(member.get()));
    }
    if (got == 0) break;
    out.append(chunk, static_cast<std::size_t>(got));
    if (out.size() > max_bytes) {
      return Error(ErrorKind::kData, "the zip member `" + name + "` " +
                                         support::too_large_message({.max_bytes = max_bytes, .what = "data files"}));
    }
  }
  return out;
}

}  // namespace riskoff::adapters
