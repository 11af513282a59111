#include "engine/source_loader.hpp"

#include <algorithm>

#include "dsl/parse.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::engine {
namespace fs = std::filesystem;

namespace {

std::string normal_name(const fs::path& path) { return path.lexically_normal().generic_string(); }

bool named_like(const std::string& name, std::string_view prefix, std::string_view suffix) {
  return name.size() > prefix.size() + suffix.size() && name.starts_with(prefix) && name.ends_with(suffix);
}

}  // namespace

ImportTarget FileSourceLoader::locate(std::string_view import_path, std::string_view importing_file) const {
  fs::path path;
  fs::path directory;
  if (importing_file.empty()) {
    // The root: text named `root_name` stands for a file of that name in `root_directory_`.
    path = rooted_ ? root_directory_ / fs::path(import_path).filename() : fs::path(import_path);
  } else {
    directory = rooted_ && importing_file == root_name_ ? root_directory_
                                                                        : fs::path(importing_file).parent_path();
    path = directory / fs::path(import_path);
  }
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  std::string name = importing_file.empty() ? std::string(import_path) : path.string();
  return {std::move(name), ec ? path.string() : canonical.string(), directory.empty() ? "." : directory.string()};
}

Result<std::string> FileSourceLoader::read(const std::string& name) const {
  // Regular files only (a FIFO would block, /dev/zero never ends); at most one byte past the
  // limit is read, so the parser reports the excess and a larger file is never loaded whole.
  return support::read_file_bounded(
      name, {.max_bytes = dsl::kMaxFileBytes, .what = "rule files", .oversize = support::Oversize::kKeepPrefix});
}

std::vector<std::string> FileSourceLoader::list_beside(std::string_view file, std::string_view prefix,
                                                      std::string_view suffix, std::size_t limit) const {
  fs::path directory = rooted_ && file == root_name_ ? root_directory_ : fs::path(file).parent_path();
  if (directory.empty()) directory = ".";
  std::vector<std::string> names;
  std::error_code ec;
  // A folder that cannot be listed has no parts to offer; the root itself was readable.
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end && names.size() <= limit; it.increment(ec)) {
    std::string name = it->path().filename().string();
    std::error_code type_ec;
    // Regular files only, as read() accepts: a FIFO or a folder of that name is not a part.
    if (named_like(name, prefix, suffix) && it->is_regular_file(type_ec)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());  // the file system's order is not the same everywhere
  return names;
}

MemorySourceLoader::MemorySourceLoader(std::map<std::string, std::string> files) {
  for (auto& [name, text] : files) files_.emplace(normal_name(name), std::move(text));
}

ImportTarget MemorySourceLoader::locate(std::string_view import_path, std::string_view importing_file) const {
  const fs::path directory = importing_file.empty() ? fs::path() : fs::path(importing_file).parent_path();
  std::string name = normal_name(directory / fs::path(import_path));
  return {name, name, directory.empty() ? "." : directory.generic_string()};
}

Result<std::string> MemorySourceLoader::read(const std::string& name) const {
  const auto it = files_.find(name);
  if (it == files_.end()) return Error(ErrorKind::kIo, "no such file among the given sources");
  return it->second;
}

std::vector<std::string> MemorySourceLoader::list_beside(std::string_view file, std::string_view prefix,
                                                        std::string_view suffix, std::size_t limit) const {
  const std::string folder = fs::path(normal_name(fs::path(file))).parent_path().generic_string();
  std::vector<std::string> names;  // files_ is ordered by name, so these are too
  for (const auto& [name, text] : files_) {
    const fs::path path(name);
    std::string base = path.filename().string();
    if (path.parent_path().generic_string() == folder && named_like(base, prefix, suffix)) names.push_back(std::move(base));
    if (names.size() > limit) break;
  }
  return names;
}

}  // namespace riskoff::engine
