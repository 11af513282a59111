// libFuzzer target over the rule language's front end: parse, check (with imports), render every
// diagnostic, and the formatter's promise (its output parses to the same AST and formats to
// itself). The bytes are rule files in memory: a form feed (\f) starts the next file, so the
// root `main.rules` can import `f1.rules`, `f2.rules`, ... (MemorySourceLoader: no disk).
#include <filesystem>
#include <map>
#include <string>

#include "dsl/format.hpp"
#include "dsl/parse.hpp"
#include "engine/check.hpp"
#include "engine/source_loader.hpp"
#include "fuzz_support.hpp"

namespace {

std::map<std::string, std::string> split_files(std::string_view text) {
  std::map<std::string, std::string> files;
  std::size_t index = 0;
  while (true) {
    const auto cut = text.find('\f');
    files[index == 0 ? "main.rules" : "f" + std::to_string(index) + ".rules"] = std::string(text.substr(0, cut));
    if (cut == std::string_view::npos || index == 8) break;
    text.remove_prefix(cut + 1);
    ++index;
  }
  return files;
}

void check_format_round_trip(const std::string& text) {
  riskoff::SourceSet sources;
  const auto id = sources.add("main.rules", text);
  riskoff::DiagnosticSink sink;
  const auto module = riskoff::dsl::parse(sources, id, sink);
  if (sink.has_errors()) return;
  const std::string formatted = riskoff::dsl::format(*module, sources.file(id));
  riskoff::SourceSet again;
  const auto again_id = again.add("main.rules", formatted);
  riskoff::DiagnosticSink again_sink;
  const auto reparsed = riskoff::dsl::parse(again, again_id, again_sink);
  if (again_sink.has_errors() || riskoff::dsl::dump(*reparsed) != riskoff::dsl::dump(*module)) riskoff::fuzz::finding();
  if (riskoff::dsl::format(*reparsed, again.file(again_id)) != formatted) riskoff::fuzz::finding();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto files = split_files(riskoff::fuzz::bytes(data, size));
  const std::string root = files["main.rules"];
  const riskoff::engine::MemorySourceLoader loader(std::move(files));
  auto result = riskoff::engine::check_text("main.rules", root, loader);
  for (const auto& diagnostic : result.diagnostics.all()) (void)riskoff::render_text(diagnostic, result.sources);
  check_format_round_trip(root);
  return 0;
}
