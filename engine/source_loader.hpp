// Where rule text comes from: the checker asks a SourceLoader for every import and reads
// nothing itself. Files on disk for the CLI; memory for the audit store (a stored closure) and the
// public API (a ruleset whose imports are given as text).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "riskoff/result.hpp"

namespace riskoff::engine {

// The file an import names: `name` is shown in diagnostics and passed back to read();
// `identity` is equal for two names of one file (import cycles are found by it).
struct ImportTarget {
  std::string name;
  std::string identity;
  std::string folder;  // what the import was resolved against, for help lines ("." for none)
};

class SourceLoader {
 public:
  virtual ~SourceLoader() = default;
  // The file `import_path` (as written) names inside `importing_file` (a name this loader gave,
  // or the root's); an empty `importing_file` locates the root itself.
  virtual ImportTarget locate(std::string_view import_path, std::string_view importing_file) const = 0;
  // The text of a located file, or why it cannot be had ("cannot open file", ...).
  virtual Result<std::string> read(const std::string& name) const = 0;
  // The file names (no folder) beside `file` (a name this loader gave, or the root's) that start
  // with `prefix` and end with `suffix`, regular files only, in name order; at most `limit` + 1 of
  // them, so that a caller can tell "too many" without the loader reading a whole folder's worth.
  // A loader that cannot list (a stored closure) offers none.
  virtual std::vector<std::string> list_beside(std::string_view /*file*/, std::string_view /*prefix*/,
                                               std::string_view /*suffix*/, std::size_t /*limit*/) const {
    return {};
  }
};

// Files on disk. Imports resolve against the importing file's folder; a file is read at most
// one byte past the rule-file size limit (the parser reports the excess).
class FileSourceLoader final : public SourceLoader {
 public:
  FileSourceLoader() = default;
  // For text held in memory under `root_name` (not a path): its imports resolve against `directory`.
  FileSourceLoader(std::string root_name, std::filesystem::path directory)
      : root_name_(std::move(root_name)), root_directory_(std::move(directory)), rooted_(true) {}

  ImportTarget locate(std::string_view import_path, std::string_view importing_file) const override;
  Result<std::string> read(const std::string& name) const override;
  std::vector<std::string> list_beside(std::string_view file, std::string_view prefix, std::string_view suffix,
                                       std::size_t limit) const override;

 private:
  std::string root_name_;
  std::filesystem::path root_directory_;
  bool rooted_ = false;
};

// Files given as text, by name ('/'-separated, relative or not). An import resolves against the
// importing name's folder, lexically (`a/../b.rules` is `b.rules`); nothing touches the disk.
class MemorySourceLoader final : public SourceLoader {
 public:
  explicit MemorySourceLoader(std::map<std::string, std::string> files);

  ImportTarget locate(std::string_view import_path, std::string_view importing_file) const override;
  Result<std::string> read(const std::string& name) const override;
  std::vector<std::string> list_beside(std::string_view file, std::string_view prefix, std::string_view suffix,
                                       std::size_t limit) const override;

 private:
  std::map<std::string, std::string> files_;  // keys normalised like the names locate() returns
};

}  // namespace riskoff::engine
