#include "adapters/http_cache.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include "support/bounded_read.hpp"
#include "support/sha256.hpp"

namespace riskoff::adapters {
namespace {

namespace fs = std::filesystem;

std::string entry_path(const std::string& folder, const std::string& url) {
  return (fs::path(folder) / (support::sha256_hex(url) + ".body")).string();
}

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

}  // namespace

Result<std::string> open_private_cache(const std::string& folder) {
  const std::string where = "http cache_dir `" + folder + "`";
  std::error_code ec;
  const fs::path parent = fs::path(folder).parent_path();
  if (!parent.empty()) fs::create_directories(parent, ec);
  if (::mkdir(folder.c_str(), 0700) != 0 && errno != EEXIST) {
    return Error(ErrorKind::kIo, where + ": cannot create: " + std::strerror(errno));
  }
  // Checked on the opened folder, not by name: a link swapped in after the check changes nothing.
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) return Error(ErrorKind::kIo, where + " is a symbolic link; the cache must be a folder of its own");
    return Error(ErrorKind::kIo, where + ": cannot open: " + std::strerror(errno));
  }
  struct stat info {};
  const bool stated = ::fstat(fd, &info) == 0;
  ::close(fd);
  if (!stated) return Error(ErrorKind::kIo, where + ": cannot stat: " + std::strerror(errno));
  if (info.st_uid != ::geteuid()) {
    return Error(ErrorKind::kIo, where + " is owned by another user (uid " + std::to_string(info.st_uid) +
                                     "); the cache must be a folder of your own");
  }
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return Error(ErrorKind::kIo, where + " is writable by group or others (mode " + octal_mode(info.st_mode) +
                                     "); the cache must be private (chmod 700 it, or name another folder)");
  }
  return folder;
}

std::optional<std::string> cached_body(const std::string& folder, const std::string& url, double max_age_seconds,
                                       std::uint64_t max_bytes) {
  const std::string path = entry_path(folder, url);
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0 || !S_ISREG(info.st_mode)) return std::nullopt;
  const double age = std::difftime(std::time(nullptr), info.st_mtime);
  if (age > max_age_seconds) return std::nullopt;
  // O_NOFOLLOW: an entry replaced by a link after the lstat is still refused.
  auto body = support::read_file_bounded(
      path, {.max_bytes = max_bytes, .what = "HTTP bodies", .links = support::Links::kRefuse});
  if (!body) return std::nullopt;
  return std::move(body).value();
}

std::string store_body(const std::string& folder, const std::string& url, const std::string& body) {
  const std::string path = entry_path(folder, url);
  std::string temp = path + ".XXXXXX";
  const int fd = ::mkstemp(temp.data());  // 0600, a fresh name: nothing planted is written through
  if (fd < 0) return "cannot create a file in " + folder + ": " + std::strerror(errno);
  std::size_t written = 0;
  while (written < body.size()) {
    const ssize_t n = ::write(fd, body.data() + written, body.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const int write_errno = errno;
  const bool complete = written == body.size() && ::fsync(fd) == 0;
  if (::close(fd) != 0 || !complete) {
    ::unlink(temp.c_str());
    return "cannot write " + temp + ": " + std::strerror(complete ? errno : write_errno);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const int rename_errno = errno;
    ::unlink(temp.c_str());
    return "cannot replace " + path + ": " + std::strerror(rename_errno);
  }
  return {};
}

}  // namespace riskoff::adapters
