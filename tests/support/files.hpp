// Files for tests: read one whole, or write into a scratch folder that is gone when the test ends.
// Standard library only, so every test program may use it.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace riskoff::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A scratch folder, emptied on creation and removed when the test ends.
struct ScratchFolder {
  std::filesystem::path root;
  explicit ScratchFolder(const std::string& name) : root(std::filesystem::temp_directory_path() / ("riskoff-" + name)) {
    std::filesystem::remove_all(root);
    std::filesystem::create_directories(root);
  }
  ~ScratchFolder() { std::filesystem::remove_all(root); }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  // Writes a file (creating its folders) and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((root / name).parent_path());
    std::ofstream(root / name, std::ios::binary) << text;
    return (root / name).string();
  }
};

// The vendored data slice (tests/data/, see its README): unit tests never read ../shared/data.
inline std::filesystem::path test_data(const std::string& relative) {
  return std::filesystem::path(RISKOFF_SOURCE_DIR) / "tests" / "data" / relative;
}

}  // namespace riskoff::testing
