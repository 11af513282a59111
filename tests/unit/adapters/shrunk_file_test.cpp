// A data file truncated while it is mapped (another process rewriting a CSV in place): the pages
// past its new end are gone, and touching one raised SIGBUS and ended the process. The read
// is now one problem naming the file. The file is cut between the mapping and the read, as
// read_one would have it if the other process were that quick.
#include <catch2/catch.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "adapters/source_reads.hpp"
#include "adapters/sources.hpp"
#include "support/bounded_read.hpp"
#include "support/time.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;
using namespace riskoff::adapters;

TEST_CASE("a data file truncated while mapped is one problem naming the file, not a crash", "[adapters][sources]") {
  const testing::ScratchFolder folder("shrunk-data-file");
  std::string text = "Date,Close\n";
  const engine::Timestamp first = *engine::parse_timestamp("1990-01-01T00:00:00Z");
  // Mapped from kMapFrom bytes: long values keep its days within the years a snapshot holds.
  for (engine::Timestamp k = 0; text.size() < support::MappedFile::kMapFrom + 3 * 4096; ++k) {
    text += engine::format_timestamp(first + k * 86400).substr(0, 10) + "," + std::to_string(k) + "." + std::string(40, '0') + "\n";
  }
  folder.write("d.csv", text);
  const Manifest manifest = read_manifest(folder.write("sources.json", R"({"format": "riskoff.sources/1", "inputs": {"x":
      {"reader": "csv", "unit": "index", "source": "test", "path": "d.csv", "mapping": {"value_column": "Close"}}}})"));
  REQUIRE(manifest.ok());
  const SourceSpec& spec = manifest.sources.front();
  const std::string path = spec.paths.front();
  const auto as_of = *engine::parse_timestamp("2030-01-01T00:00:00Z");

  // Whole, the mapped file reads as any other.
  auto whole = support::map_file_bounded(path, {.max_bytes = manifest.max_file_bytes});
  REQUIRE(whole.ok());
  REQUIRE(whole->mapped());
  const SeriesRead read = read_mapped(spec, manifest, path, std::make_shared<const support::MappedFile>(std::move(*whole)), as_of);
  INFO((read.problems.empty() ? "" : read.problems.front().text()));
  CHECK(read.ok());
  CHECK_FALSE(read.values.empty());

  auto mapped = support::map_file_bounded(path, {.max_bytes = manifest.max_file_bytes});
  REQUIRE(mapped.ok());
  REQUIRE(mapped->mapped());
  std::filesystem::resize_file(path, 5000);  // the rewrite starts: the file cut inside its second page
  const SeriesRead cut = read_mapped(spec, manifest, path, std::make_shared<const support::MappedFile>(std::move(*mapped)), as_of);
  REQUIRE(cut.problems.size() == 1);
  CHECK(cut.problems.front().text() ==
        path + ": the file shrank while it was read (truncated or rewritten by another process); read it again");
  CHECK(cut.values.empty());
}
