// libFuzzer target for the sources manifest (docs/sources.md): the schema pass and every
// cross-field rule of read_manifest, on text in memory. Data paths resolve against a folder
// that does not exist, so nothing is read (a `*` pattern lists nothing).
#include "adapters/sources.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = riskoff::fuzz::bytes(data, size);
  const auto manifest = riskoff::adapters::read_manifest_text(text, "/nonexistent-riskoff-fuzz/sources.json");
  const auto schema_problems = riskoff::adapters::check_manifest_text(text, "sources.json");
  // The schema alone never accepts less than the whole reading does.
  if (!schema_problems.empty() && manifest.ok()) riskoff::fuzz::finding();
  for (const auto& source : manifest.sources) {
    if (source.input.empty() || source.reader.empty() || source.scale == 0) riskoff::fuzz::finding();
    if (source.paths.empty() == source.url.empty()) riskoff::fuzz::finding();
  }
  return 0;
}
