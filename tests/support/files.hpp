// Files for tests: read one whole, or write into a scratch folder that is gone when the test ends.
// Standard library (and getpid) only, so every test program may use it.
#pragma once

#include <unistd.h>

#include <atomic>
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

// A scratch folder, emptied on creation and removed when the test ends. Its name carries the
// process id and a count: ctest runs the test cases of one program as parallel processes, and
// other checkouts on the same machine run the same cases, so a fixed name let one case delete
// the folder another was reading (a flaky abort of the manifest tests).
inline std::filesystem::path unique_scratch_path(const std::string& name) {
  static std::atomic<unsigned> count{0};
  return std::filesystem::temp_directory_path() /
         ("riskoff-" + name + "-" + std::to_string(::getpid()) + "-" + std::to_string(count++));
}

struct ScratchFolder {
  std::filesystem::path root;
  explicit ScratchFolder(const std::string& name) : root(unique_scratch_path(name)) {
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
