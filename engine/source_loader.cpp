#include "engine/source_loader.hpp"

#include "dsl/parse.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::engine {
namespace fs = std::filesystem;

namespace {

std::string normal_name(const fs::path& path) { return path.lexically_normal().generic_string(); }

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

}  // namespace riskoff::engine
