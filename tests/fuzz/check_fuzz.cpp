// libFuzzer target: any bytes through the whole front end (parse, check, format) and through
// the data readers (snapshot JSON, provider CSV and JSON formats). Built only with clang and
// -DRISKOFF_FUZZ=ON; `make fuzz` runs it for a bounded time.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "adapters/readers.hpp"
#include "adapters/snapshot_json.hpp"
#include "dsl/format.hpp"
#include "dsl/parse.hpp"
#include "engine/check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The readers must refuse garbage with problems, never crash or loop.
  (void)riskoff::adapters::read_snapshot_json(text, "fuzz.json");
  (void)riskoff::adapters::read_fred_csv(text, "fuzz.csv");
  (void)riskoff::adapters::read_fred_json(text, "fuzz.json");
  (void)riskoff::adapters::read_yahoo_chart_json(text, "fuzz.json");
  (void)riskoff::adapters::read_binance_klines_json(text, "fuzz.json", 0);
  riskoff::adapters::CsvMapping mapping;
  mapping.thousands_separators = true;
  mapping.unordered = true;
  (void)riskoff::adapters::read_generic_csv(text, "fuzz.csv", mapping);
  auto result = riskoff::engine::check_text("fuzz.rules", text, std::filesystem::temp_directory_path());
  for (const auto& diagnostic : result.diagnostics.all()) (void)riskoff::render_text(diagnostic, result.sources);
  riskoff::SourceSet sources;
  const auto id = sources.add("fuzz.rules", std::move(text));
  riskoff::DiagnosticSink sink;
  const auto module = riskoff::dsl::parse(sources, id, sink);
  if (!sink.has_errors()) {
    // The formatter's promise holds for any text that parses: its output parses to the same AST.
    const std::string formatted = riskoff::dsl::format(*module, sources.file(id));
    riskoff::SourceSet again;
    const auto again_id = again.add("fuzz.rules", formatted);
    riskoff::DiagnosticSink again_sink;
    const auto reparsed = riskoff::dsl::parse(again, again_id, again_sink);
    if (again_sink.has_errors() || riskoff::dsl::dump(*reparsed) != riskoff::dsl::dump(*module)) __builtin_trap();
    if (riskoff::dsl::format(*reparsed, again.file(again_id)) != formatted) __builtin_trap();
  }
  return 0;
}
