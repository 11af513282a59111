// Parsing text in memory, for tests of dsl/ and the stages above it (needs riskoff::dsl).
#pragma once

#include <memory>
#include <string>

#include "dsl/parse.hpp"

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

// The codes of all diagnostics, in order: "E0201 W0500".
inline std::string codes(const DiagnosticSink& sink) {
  std::string out;
  for (const auto& diagnostic : sink.all()) {
    if (!out.empty()) out += ' ';
    out += code_string(diagnostic.code);
  }
  return out;
}

}  // namespace riskoff::testing
