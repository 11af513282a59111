// Linearity in ruleset size, on counts rather than time (never a timed test): every stage of the
// public API — compile (check + plan), a snapshot built by add_series, decide(), the JSON
// explanation — on generated rulesets of 200 and 2,000 signals (bench/generated_ruleset.hpp),
// counting heap allocations and the peak of live heap bytes through this program's operator new.
// A 10x larger ruleset may cost at most 15x of either. The timed form, up to 100,000 signals, is
// bench/scaling_bench.cpp.
//
// Two counts the allocator cannot see are read from the library itself: the nodes the
// closest-to-flipping list re-derives (explain/flip_cone.hpp), and a rule file's memory beside its
// size (each imported file once cost a 4 MiB buffer).
#include <catch2/catch.hpp>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <unistd.h>

#include "bench/counting_heap.hpp"
#include "bench/generated_ruleset.hpp"
#include "explain/flip_cone.hpp"
#include "riskoff/riskoff.hpp"

namespace {

struct Cost {
  std::int64_t allocations = 0;
  std::int64_t peak_bytes = 0;  // above the live bytes at the stage's start
};

Cost measure(const std::function<void()>& stage) {
  namespace heap = riskoff::bench::heap;
  const std::int64_t start_allocations = heap::allocations.load();
  const std::int64_t start_live = heap::restart_peak();
  stage();
  return {heap::allocations.load() - start_allocations, heap::peak.load() - start_live};
}

struct Costs {
  Cost compile, snapshot, decide, explain;
};

Costs costs_of(std::size_t signals) {
  const auto generated = riskoff::bench::generate_ruleset(signals);
  std::vector<riskoff::RuleSource> imports;
  for (const auto& [path, text] : generated.parts) imports.push_back({path, text});
  Costs costs;
  std::optional<riskoff::Ruleset> ruleset;
  costs.compile = measure([&] {
    auto compiled = riskoff::Ruleset::compile(generated.root, "generated.rules", imports);
    INFO("the generated ruleset of " << signals << " signals: " << (compiled.problems.empty() ? "" : compiled.problems.front().text));
    REQUIRE(compiled.ok());
    ruleset = std::move(*compiled.ruleset);
  });
  riskoff::Snapshot snapshot(generated.as_of);
  costs.snapshot = measure([&] {
    for (std::size_t k = 0; k < generated.input_names.size(); ++k) {
      REQUIRE(snapshot.add_series(generated.input_names[k], riskoff::Unit::kNumber, generated.times, generated.values[k]).empty());
    }
  });
  std::optional<riskoff::Decision> decision;
  costs.decide = measure([&] {
    auto decided = riskoff::decide(*ruleset, snapshot);
    REQUIRE(decided.ok());
    decision = std::move(*decided);
  });
  costs.explain = measure([&] { CHECK_FALSE(decision->render(riskoff::Format::kJson).empty()); });
  return costs;
}

void check_growth(const char* stage, const Cost& small, const Cost& large) {
  const double allocation_growth = static_cast<double>(large.allocations) / static_cast<double>(std::max<std::int64_t>(small.allocations, 1));
  const double peak_growth = static_cast<double>(large.peak_bytes) / static_cast<double>(std::max<std::int64_t>(small.peak_bytes, 1024));
  INFO(stage << ": allocations " << small.allocations << " -> " << large.allocations << " (x" << allocation_growth
             << "), peak heap bytes " << small.peak_bytes << " -> " << large.peak_bytes << " (x" << peak_growth
             << "); expected at most x15 each for a ruleset 10x larger");
  CHECK(allocation_growth <= 15);
  CHECK(peak_growth <= 15);
}

}  // namespace

TEST_CASE("every stage's allocations and peak heap grow linearly with the ruleset", "[api][scaling]") {
  const Costs small = costs_of(200);
  const Costs large = costs_of(2000);
  check_growth("compile", small.compile, large.compile);
  check_growth("snapshot", small.snapshot, large.snapshot);
  check_growth("decide", small.decide, large.decide);
  check_growth("explain", small.explain, large.explain);
}

namespace {

// What adding 5,000 scalar inputs held at its peak and still holds after, in bytes. 5,000 is
// just past a regrowth of the list (4,096 -> 8,192): grown, it held both copies at once.
std::pair<std::int64_t, std::int64_t> snapshot_heap(bool reserve) {
  namespace heap = riskoff::bench::heap;
  constexpr std::size_t kInputs = 5000;
  std::vector<std::string> names;
  for (std::size_t k = 0; k < kInputs; ++k) names.push_back("input" + std::to_string(k));
  riskoff::Snapshot snapshot(1770238800);
  const std::int64_t start = heap::restart_peak();
  if (reserve) snapshot.reserve(kInputs);
  for (const auto& name : names) REQUIRE(snapshot.add_scalar(name, riskoff::Unit::kNumber, 1770238800, 1.5).empty());
  return {heap::peak.load() - start, heap::live.load() - start};
}

}  // namespace

TEST_CASE("a snapshot reserved for its inputs peaks at what it holds", "[api][scaling]") {
  // The scaling benchmark reserves: its heap figure then follows the inputs, not where their
  // count falls between two of the list's regrowths.
  const auto [reserved_peak, reserved_held] = snapshot_heap(true);
  const auto [grown_peak, grown_held] = snapshot_heap(false);
  INFO("peak and held heap bytes: " << reserved_peak << " and " << reserved_held << " reserved, " << grown_peak << " and "
       << grown_held << " grown; expected the reserved peak to equal what it holds and the grown one to exceed it");
  CHECK(reserved_peak == reserved_held);
  CHECK(grown_peak > grown_held);  // without reserve the list was held twice while it grew
}

namespace {

// Re-derivations by the closest-to-flipping list for one decision of a generated ruleset,
// explained as JSON.
std::uint64_t flip_work_of(std::size_t signals) {
  const auto generated = riskoff::bench::generate_ruleset(signals);
  std::vector<riskoff::RuleSource> imports;
  for (const auto& [path, text] : generated.parts) imports.push_back({path, text});
  auto compiled = riskoff::Ruleset::compile(generated.root, "generated.rules", imports);
  REQUIRE(compiled.ok());
  riskoff::Snapshot snapshot(generated.as_of);
  for (std::size_t k = 0; k < generated.input_names.size(); ++k) {
    REQUIRE(snapshot.add_series(generated.input_names[k], riskoff::Unit::kNumber, generated.times, generated.values[k]).empty());
  }
  const std::uint64_t before = riskoff::explain::detail::flip_work_done();
  auto decided = riskoff::decide(*compiled.ruleset, snapshot);
  REQUIRE(decided.ok());
  CHECK_FALSE(decided->render(riskoff::Format::kJson).empty());
  return riskoff::explain::detail::flip_work_done() - before;
}

}  // namespace

TEST_CASE("closest to flipping re-derives only each flip's dependants", "[api][scaling]") {
  // Every signal is a candidate; re-deriving the whole plan for each made the list quadratic.
  const std::uint64_t small = flip_work_of(200);
  const std::uint64_t large = flip_work_of(2000);
  const double growth = static_cast<double>(large) / static_cast<double>(std::max<std::uint64_t>(small, 1));
  INFO("nodes re-derived (and members re-read) for closest to flipping: " << small << " for 200 signals, " << large
       << " for 2,000 (x" << growth << "); expected at least one for 200 and at most x15 for a ruleset 10x larger");
  CHECK(small > 0);
  CHECK(growth <= 15);
}

namespace {

// A temporary folder, removed with everything in it.
struct TemporaryFolder {
  std::filesystem::path path = std::filesystem::temp_directory_path() /
                               ("riskoff-file-memory-" + std::to_string(::getpid()));
  TemporaryFolder() { std::filesystem::create_directories(path); }
  ~TemporaryFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

void write(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string small_part(std::size_t part) {
  std::string text = "ruleset part" + std::to_string(part) + " version \"1.0.0\"\n\n";
  for (int k = 0; k < 8; ++k) text += "input i" + std::to_string(k) + " : series 1d number\n";
  for (int k = 0; k < 8; ++k) text += "signal s" + std::to_string(k) + " \"Signal\" = i" + std::to_string(k) + " > " + std::to_string(k) + "\n";
  return text;
}

// Peak heap of Ruleset::load() of a root importing `files` small files from disk.
std::int64_t load_peak(std::size_t files, std::int64_t& file_bytes) {
  TemporaryFolder folder;
  std::string root = "ruleset many version \"1.0.0\"\n\n";
  file_bytes = 0;
  for (std::size_t part = 0; part < files; ++part) {
    const std::string text = small_part(part);
    file_bytes += static_cast<std::int64_t>(text.size());
    write(folder.path / ("part" + std::to_string(part) + ".rules"), text);
    root += "import \"part" + std::to_string(part) + ".rules\" as m" + std::to_string(part) + "\n";
  }
  root += "\nsignal any_on \"Any\" = m0.s0\nprofile main \"Main\" {\n  decide\n    hedge when any_on\n    wait otherwise\n}\n";
  write(folder.path / "root.rules", root);
  file_bytes += static_cast<std::int64_t>(root.size());
  const Cost cost = measure([&] {
    auto loaded = riskoff::Ruleset::load((folder.path / "root.rules").string());
    INFO((loaded.problems.empty() ? "" : loaded.problems.front().text));
    REQUIRE(loaded.ok());
  });
  return cost.peak_bytes;
}

}  // namespace

TEST_CASE("a rule file costs about its size, not a fixed buffer", "[api][scaling]") {
  // A ruleset's most files (the root and 63 imports) of ~600 bytes each: the loader once kept a
  // 4 MiB buffer per file (264 MiB for 64 files).
  std::int64_t bytes_8 = 0, bytes_64 = 0;
  const std::int64_t peak_8 = load_peak(7, bytes_8);
  const std::int64_t peak_64 = load_peak(63, bytes_64);
  const double per_file = static_cast<double>(peak_64 - peak_8) / 56;
  INFO("peak heap of Ruleset::load(): " << peak_8 << " bytes for 8 files (" << bytes_8 << " bytes of text), "
       << peak_64 << " for 64 (" << bytes_64 << " bytes of text): " << per_file
       << " bytes for each further file; expected at most 64 KiB per file, and 64 files under 64 x 1 MiB");
  CHECK(per_file <= 64 * 1024);
  CHECK(peak_64 < 64 * (1 << 20));
}
