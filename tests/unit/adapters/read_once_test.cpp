// A snapshot build reads each data file once and keeps the reading while another input names the
// same file (ReadOnce, adapters/sources.cpp): the build of many inputs must equal the
// one-input-at-a-time builds, series, problems and their order alike, with files shared by inputs
// read alike or not, files that fail, and inputs the build does not read.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "adapters/sources.hpp"
#include "tests/support/files.hpp"

using namespace riskoff;

namespace {

constexpr int kReadOnceInputs = 24;

// Input k: 60 daily closes from 2024-01-01, its own values; every 5th file has a bad number on
// row k % 50 + 2, every 7th input names a file that does not exist, every 6th shares input
// k - 1's file (every 12th of those read otherwise: another column).
std::string read_once_manifest(const testing::ScratchFolder& folder) {
  std::string inputs;
  for (int k = 0; k < kReadOnceInputs; ++k) {
    std::string file = "f" + std::to_string(k) + ".csv";
    std::string column = "close";
    if (k % 6 == 5) {
      file = "f" + std::to_string(k - 1) + ".csv";
      if (k % 12 == 11) column = "open";
    }
    if (k % 6 != 5) {
      std::string text = "date,open,close\n";
      for (int day = 0; day < 60; ++day) {
        const int month = 1 + day / 28, dom = 1 + day % 28;
        const std::string value = k % 5 == 4 && day == k % 50 ? "12,5" : std::to_string(100 * k + day) + ".25";
        text += "2024-0" + std::to_string(month) + "-" + (dom < 10 ? "0" : "") + std::to_string(dom) + "," +
                std::to_string(day) + "," + value + "\n";
      }
      folder.write(file, text);
    }
    if (k % 7 == 3) file = "missing" + std::to_string(k) + ".csv";
    inputs += std::string(k ? ",\n" : "") + "\"in" + std::to_string(k) + "\": {\"reader\": \"csv\", \"unit\": \"usd\", " +
              "\"source\": \"test\", \"path\": \"" + file + "\", \"mapping\": {\"date_column\": \"date\", " +
              "\"value_column\": \"" + column + "\"}}";
  }
  return "{\"format\": \"riskoff.sources/1\", \"inputs\": {" + inputs + "}}";
}

adapters::BuildOptions read_once_options(std::optional<std::vector<std::string>> inputs) {
  adapters::BuildOptions options;
  options.as_of = *engine::parse_timestamp("2024-03-01T00:00:00Z");
  options.inputs_read = std::move(inputs);
  return options;
}

}  // namespace

TEST_CASE("a build of inputs sharing files equals the builds of one input each", "[adapters][sources]") {
  const testing::ScratchFolder folder("read-once");
  const std::string path = folder.write("sources.json", "");
  const auto manifest = adapters::read_manifest_text(read_once_manifest(folder), path);
  INFO((manifest.problems.empty() ? std::string() : manifest.problems.front()));
  REQUIRE(manifest.ok());
  REQUIRE(manifest.sources.size() == kReadOnceInputs);

  // One input at a time, every other input unused: nothing shared.
  std::vector<std::string> problems;
  std::vector<engine::InputData> inputs;
  for (const auto& spec : manifest.sources) {
    const auto alone = adapters::build_snapshot(manifest, read_once_options(std::vector<std::string>{spec.input}));
    problems.insert(problems.end(), alone.problems.begin(), alone.problems.end());
    inputs.insert(inputs.end(), alone.snapshot.inputs.begin(), alone.snapshot.inputs.end());
  }
  REQUIRE(problems.size() >= 6);  // the bad numbers and the missing files were found
  REQUIRE(inputs.size() >= 12);

  // Whole builds, twice (the second equal to the first: nothing kept between builds). Then every
  // third input only, so that the build skips files no input it reads names.
  for (int run = 0; run < 2; ++run) {
    INFO("run " << run);
    const auto built = adapters::build_snapshot(manifest, read_once_options(std::nullopt));
    CHECK(built.problems == problems);
    REQUIRE(built.snapshot.inputs.size() == inputs.size());
    for (std::size_t k = 0; k < inputs.size(); ++k) {
      INFO("input " << inputs[k].name);
      CHECK(built.snapshot.inputs[k].name == inputs[k].name);
      CHECK(built.snapshot.inputs[k].times == inputs[k].times);
      CHECK(built.snapshot.inputs[k].values == inputs[k].values);
      CHECK(built.snapshot.inputs[k].known_at == inputs[k].known_at);
    }
  }
  std::vector<std::string> some;
  for (int k = 0; k < kReadOnceInputs; k += 3) some.push_back("in" + std::to_string(k));
  const auto part = adapters::build_snapshot(manifest, read_once_options(some));
  CHECK(part.unused.size() == kReadOnceInputs - some.size());
  for (const auto& input : part.snapshot.inputs) {
    const auto alone = std::find_if(inputs.begin(), inputs.end(), [&](const auto& data) { return data.name == input.name; });
    REQUIRE(alone != inputs.end());
    CHECK(input.values == alone->values);
  }
}
