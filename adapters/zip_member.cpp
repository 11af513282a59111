#include "adapters/zip_member.hpp"

#include <zip.h>

#include <memory>

#include "adapters/lazy_library.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::adapters {
namespace {

// NOTE(startup): libzip brings libcrypto, libbz2 and zlib, ~4,500 symbol relocations that every
// `riskoff` command would pay at start although only zipped dumps need them. So libzip is
// loaded on first use, as libcurl is (http.cpp; lazy_library.hpp).
struct Libzip {
  decltype(&zip_error_init) error_init = nullptr;
  decltype(&zip_error_fini) error_fini = nullptr;
  decltype(&zip_error_strerror) error_strerror = nullptr;
  decltype(&zip_source_buffer_create) source_buffer_create = nullptr;
  decltype(&zip_source_free) source_free = nullptr;
  decltype(&zip_open_from_source) open_from_source = nullptr;
  decltype(&zip_discard) discard = nullptr;
  decltype(&zip_get_num_entries) get_num_entries = nullptr;
  decltype(&zip_get_name) get_name = nullptr;
  decltype(&zip_fopen_index) fopen_index = nullptr;
  decltype(&zip_fread) fread = nullptr;
  decltype(&zip_fclose) fclose = nullptr;
  decltype(&zip_strerror) strerror = nullptr;
  decltype(&zip_file_strerror) file_strerror = nullptr;
  std::string error;
};

const Libzip& libzip() {
  static const Libzip library = [] {
    Libzip z;
    LazyLibrary zip("libzip.so.4", "libzip4");
    zip.bind(z.error_init, "zip_error_init");
    zip.bind(z.error_fini, "zip_error_fini");
    zip.bind(z.error_strerror, "zip_error_strerror");
    zip.bind(z.source_buffer_create, "zip_source_buffer_create");
    zip.bind(z.source_free, "zip_source_free");
    zip.bind(z.open_from_source, "zip_open_from_source");
    zip.bind(z.discard, "zip_discard");
    zip.bind(z.get_num_entries, "zip_get_num_entries");
    zip.bind(z.get_name, "zip_get_name");
    zip.bind(z.fopen_index, "zip_fopen_index");
    zip.bind(z.fread, "zip_fread");
    zip.bind(z.fclose, "zip_fclose");
    zip.bind(z.strerror, "zip_strerror");
    zip.bind(z.file_strerror, "zip_file_strerror");
    z.error = zip.error;
    return z;
  }();
  return library;
}

struct ArchiveCloser {
  void operator()(zip_t* archive) const { libzip().discard(archive); }
};
struct FileCloser {
  void operator()(zip_file_t* file) const { libzip().fclose(file); }
};

std::string libzip_message(zip_error_t* error) {
  std::string message = libzip().error_strerror(error);
  libzip().error_fini(error);
  return message;
}

}  // namespace

bool looks_like_zip(std::string_view bytes) { return bytes.starts_with("PK\x03\x04") || bytes.starts_with("PK\x05\x06"); }

Result<std::string> read_zip_member(std::string_view archive, std::uint64_t max_bytes) {
  const Libzip& zip = libzip();
  if (!zip.error.empty()) return Error(ErrorKind::kData, "cannot read a zip: " + zip.error);
  zip_error_t error;
  zip.error_init(&error);
  // The source does not own the bytes (freep = 0): they stay the caller's string.
  zip_source_t* source = zip.source_buffer_create(archive.data(), archive.size(), 0, &error);
  if (source == nullptr) return Error(ErrorKind::kData, "not a readable zip: " + libzip_message(&error));
  std::unique_ptr<zip_t, ArchiveCloser> opened(zip.open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error));
  if (!opened) {
    zip.source_free(source);
    return Error(ErrorKind::kData, "not a readable zip: " + libzip_message(&error));
  }
  zip.error_fini(&error);
  const zip_int64_t entries = zip.get_num_entries(opened.get(), 0);
  if (entries != 1) {
    std::string names;
    for (zip_int64_t k = 0; k < entries && k < 3; ++k) {
      const char* name = zip.get_name(opened.get(), static_cast<zip_uint64_t>(k), 0);
      names += std::string(names.empty() ? "" : ", ") + "`" + (name != nullptr ? name : "?") + "`";
    }
    return Error(ErrorKind::kData, "the zip holds " + std::to_string(entries) + " files" +
                                       (names.empty() ? "" : " (" + names + (entries > 3 ? ", ..." : "") + ")") +
                                       "; expected one (a data.binance.vision dump holds one CSV)");
  }
  const char* raw_name = zip.get_name(opened.get(), 0, 0);
  const std::string name = raw_name != nullptr ? raw_name : "?";
  std::unique_ptr<zip_file_t, FileCloser> member(zip.fopen_index(opened.get(), 0, 0));
  if (!member) {
    return Error(ErrorKind::kData, "the zip member `" + name + "` cannot be read: " + zip.strerror(opened.get()));
  }
  // Read past the limit by one chunk at most: the sizes the archive declares are not trusted.
  std::string out;
  char chunk[1 << 16];
  for (;;) {
    const zip_int64_t got = zip.fread(member.get(), chunk, sizeof chunk);
    if (got < 0) {
      return Error(ErrorKind::kData, "the zip member `" + name + "` is damaged: " + zip.file_strerror(member.get()));
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
