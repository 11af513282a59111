#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "cli/commands.hpp"
#include "riskoff/authoring.hpp"

namespace riskoff::cli {

namespace {

// The ruleset a test file stands for, when it has one beside it; the file itself otherwise.
std::string rule_file_for(const std::string& file, TestFiles test_files) {
  if (test_files == TestFiles::kAsThemselves) return file;
  const std::string tested = tested_rule_file(file);
  std::error_code ec;
  return !tested.empty() && std::filesystem::is_regular_file(tested, ec) ? tested : file;
}

}  // namespace

bool collect_rule_files(const std::vector<std::string>& paths, std::vector<std::string>& files, TestFiles test_files) {
  namespace fs = std::filesystem;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file() && it->path().extension() == ".rules") found.push_back(it->path().string());
      }
      if (ec) {
        std::cerr << "riskoff: " << path << ": " << ec.message() << '\n';
        return false;
      }
      // Directory order is the file system's; sort so output is the same everywhere.
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else if (fs::exists(path, ec)) {
      // A FIFO would block the read forever and /dev/zero never ends.
      std::cerr << "riskoff: " << path << ": is not a regular file or a directory\n";
      return false;
    } else {
      std::cerr << "riskoff: " << path << ": no such file or directory\n";
      return false;
    }
  }
  for (auto& file : files) file = rule_file_for(file, test_files);
  // A ruleset named twice (itself and its test file) is checked once, where it first appeared.
  std::vector<std::string> unique;
  for (auto& file : files) {
    if (std::find(unique.begin(), unique.end(), file) == unique.end()) unique.push_back(std::move(file));
  }
  files = std::move(unique);
  if (files.empty()) {
    std::cerr << "riskoff: no .rules files found\n";
    return false;
  }
  return true;
}

namespace {

// Writes all of `text` to `fd`; 0 or the errno of the write that failed.
int write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return n < 0 ? errno : EIO;
    written += static_cast<std::size_t>(n);
  }
  return 0;
}

}  // namespace

std::string write_file_atomically(const std::string& path, const std::string& text) {
  // A target that exists and is not a regular file (/dev/null, /dev/stdout, a FIFO) is written
  // in place: renaming over it would replace the device or pipe with a plain file, and as root
  // `-o /dev/null` would leave the whole machine without /dev/null.
  struct stat target {};
  if (::stat(path.c_str(), &target) == 0 && !S_ISREG(target.st_mode)) {
    if (S_ISDIR(target.st_mode)) return path + ": cannot write: it is a folder";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return path + ": cannot write: " + std::strerror(errno);
    const int error = write_all(fd, text);
    if (::close(fd) != 0 && error == 0) return path + ": cannot write: " + std::strerror(errno);
    return error == 0 ? std::string() : path + ": cannot write: " + std::strerror(error);
  }
  // Beside the target, then renamed over it: a reader sees the old file or the new one, never
  // half of one. On a full disk (or any failed write, fsync or close) the temporary file is
  // removed, so nothing empty or partial is left behind.
  const std::string temp = path + ".riskoff-tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return temp + ": cannot write: " + std::strerror(errno);
  int error = write_all(fd, text);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(temp.c_str());
    return path + ": cannot write: " + std::strerror(error);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    error = errno;
    ::unlink(temp.c_str());
    return path + ": cannot replace: " + std::strerror(error);
  }
  return {};
}

}  // namespace riskoff::cli
