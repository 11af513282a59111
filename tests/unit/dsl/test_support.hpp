// Small helpers shared by the unit tests: parse or check text in memory.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dsl/format.hpp"
#include "dsl/parse.hpp"
#include "engine/check.hpp"

namespace riskoff::testing {

struct Parsed {
  SourceSet sources;
  SourceId id{};
  DiagnosticSink sink;
  std::unique_ptr<dsl::Module> module;
};

inline std::unique_ptr<Parsed> parse_text(const std::string& text, const std::string& name = "test.rules") {
  auto parsed = std::make_unique<Parsed>();
  parsed->id = parsed->sources.add(name, text);
  parsed->module = dsl::parse(parsed->sources, parsed->id, parsed->sink);
  return parsed;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The codes of all diagnostics, in order: "E0201 W0500".
inline std::string codes(const DiagnosticSink& sink) {
  std::string out;
  for (const auto& diagnostic : sink.all()) {
    if (!out.empty()) out += ' ';
    out += code_string(diagnostic.code);
  }
  return out;
}

inline engine::CheckResult check(const std::string& text) {
  return engine::check_text("test.rules", text, std::filesystem::temp_directory_path());
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

// A minimal valid ruleset to which a test appends declarations.
inline constexpr const char* kPrelude =
    "ruleset t version \"0.1.0\"\n"
    "input us10y : series 1d percent \"yield\"\n"
    "input dxy : series 1d index \"dollar\"\n"
    "input btc : series 1h usd calendar crypto \"bitcoin\"\n"
    "param jump = 15bp \"rates shock\"\n";

}  // namespace riskoff::testing
