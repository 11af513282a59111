// The command line's golden files, produced by the shipped `riskoff` binary itself. A case is
// tests/golden/<stage>/<case>.args (or tests/hostile/<class>/<case>.args: hostile input, same
// format): one line, the arguments after `riskoff` (split on spaces;
// paths relative to the source tree, where the binary runs). Beside it:
//   <case>.stdout  standard output, byte for byte (required)
//   <case>.stderr  standard error, byte for byte (absent: standard error must be empty)
//   <case>.exit    the exit code and a newline (absent: 0)
// Each case runs twice: the same arguments give the same bytes. RISKOFF_UPDATE_GOLDEN=1
// rewrites the expected files from what the binary printed: review the diff in git.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/support/catch_session.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace fs = std::filesystem;

namespace {

using riskoff::testing::read_file;

std::vector<std::string> split_arguments(const std::string& line) {
  std::vector<std::string> arguments;
  std::istringstream words(line);
  for (std::string word; words >> word;) arguments.push_back(word);
  return arguments;
}

// Compares one stream with its golden file; an absent optional file means `absent_means`.
void compare(const std::string& actual, const fs::path& expected_path, bool required, const std::string& absent_means) {
  const bool update = std::getenv("RISKOFF_UPDATE_GOLDEN") != nullptr;
  if (update) {
    if (required || actual != absent_means) {
      std::ofstream(expected_path, std::ios::binary) << actual;
    } else {
      fs::remove(expected_path);
    }
    return;
  }
  INFO("golden file: " << expected_path.string() << " (RISKOFF_UPDATE_GOLDEN=1 rewrites it; review the diff)");
  if (required) REQUIRE(fs::exists(expected_path));
  const std::string expected = fs::exists(expected_path) ? read_file(expected_path) : absent_means;
  CHECK(actual == expected);
}

class CliCase : public Catch::ITestInvoker {
 public:
  explicit CliCase(fs::path args_file) : args_file_(std::move(args_file)) {}

  void invoke() const override {
    std::string line = read_file(args_file_);
    if (const auto newline = line.find('\n'); newline != std::string::npos) line.resize(newline);
    const auto arguments = split_arguments(line);
    INFO("riskoff " << line);
    const auto first = riskoff::test::run_process(RISKOFF_BINARY, arguments);
    const auto second = riskoff::test::run_process(RISKOFF_BINARY, arguments);
    CHECK(first.stdout_text == second.stdout_text);  // byte-identical, every time
    CHECK(first.stderr_text == second.stderr_text);
    CHECK(first.exit_code == second.exit_code);
    fs::path stem = args_file_;
    stem.replace_extension();
    const auto beside = [&stem](const char* extension) { return fs::path(stem.string() + extension); };
    compare(first.stdout_text, beside(".stdout"), true, "");
    compare(first.stderr_text, beside(".stderr"), false, "");
    compare(std::to_string(first.exit_code) + "\n", beside(".exit"), false, "0\n");
  }

 private:
  fs::path args_file_;
};

}  // namespace

void riskoff::test::register_cases() {
  // Paths in arguments and output are relative to the source tree, so they match everywhere.
  fs::current_path(RISKOFF_SOURCE_DIR);
  std::vector<fs::path> cases;
  for (const char* root : {"tests/golden", "tests/hostile"}) {
    if (!fs::exists(root)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (entry.path().extension() == ".args") cases.push_back(entry.path());
    }
  }
  std::sort(cases.begin(), cases.end());
  static std::deque<std::string> names;  // Catch keeps StringRefs to these
  static std::deque<Catch::AutoReg> registrations;
  for (const auto& path : cases) {
    const std::string stage = path.parent_path().filename().string();
    const bool hostile = path.string().starts_with("tests/hostile");
    names.push_back((hostile ? "hostile cli " : "golden cli ") + stage + ": " + path.stem().string());
    const std::string& name = names.back();
    names.push_back(std::string(hostile ? "[hostile]" : "[golden]") + "[cli][" + stage + "]");
    const std::string& tags = names.back();
    registrations.emplace_back(new CliCase(path), Catch::SourceLineInfo(__FILE__, __LINE__), Catch::StringRef(),
                               Catch::NameAndTags{name, tags});
  }
}
