// Cutting a manifest's files at an instant (adapters/cut_files.hpp).
#include "adapters/cut_files.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>

#include "adapters/clock.hpp"
#include "adapters/zip_member.hpp"
#include "support/bounded_read.hpp"

namespace riskoff::adapters {
namespace {

namespace fs = std::filesystem;

// The readers whose observations are lines of a text file: a cut keeps or drops whole lines.
constexpr std::string_view kLineReaders[] = {"fred_csv",           "yahoo_csv",          "stooq_csv",
                                             "cboe_csv",           "binance_funding_csv", "binance_klines_csv",
                                             "binance_metrics_csv", "csv"};

constexpr engine::Timestamp kNoObservation = std::numeric_limits<engine::Timestamp>::min();
// The readers' "now" when a file is read for cutting: nothing is still in progress.
constexpr engine::Timestamp kEndOfTime = 253402300799;  // 9999-12-31T23:59:59Z

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    const auto stop = end == std::string::npos ? text.size() : end + 1;
    lines.push_back(text.substr(start, stop - start));
    start = stop;
  }
  return lines;
}

std::string kept_text(const std::vector<std::string>& lines, const std::vector<engine::Timestamp>& known,
                      engine::Timestamp at, bool& any_observation) {
  std::string out;
  any_observation = false;
  for (std::size_t k = 0; k < lines.size(); ++k) {
    if (known[k] > at) continue;
    any_observation = any_observation || known[k] != kNoObservation;
    out += lines[k];
  }
  return out;
}

// Why an input's files cannot be cut by line; "" when they can.
std::string why_whole(const SourceSpec& spec) {
  if (!spec.url.empty()) return "fetched from a URL";
  if (spec.reader == "store") return "the history store keeps when each observation became known";
  if (std::find(std::begin(kLineReaders), std::end(kLineReaders), spec.reader) == std::end(kLineReaders)) {
    return "its reader's files are not cut by line";
  }
  return "";
}

}  // namespace

Result<FileCutter> FileCutter::prepare(const Manifest& manifest, const std::vector<std::string>& inputs) {
  FileCutter cutter;
  auto text = support::read_file_bounded(manifest.path, {.max_bytes = kMaxManifestBytes, .what = "manifests"});
  if (!text) return text.error();
  cutter.manifest_text_ = std::move(*text);
  std::error_code ec;
  cutter.base_ = fs::absolute(fs::path(manifest.path).parent_path(), ec).lexically_normal().string();
  for (const auto& spec : manifest.sources) {
    if (!inputs.empty() && std::find(inputs.begin(), inputs.end(), spec.input) == inputs.end()) continue;
    std::string whole = why_whole(spec);
    Input input{spec.input, {}};
    const TimeZone zone = TimeZone::find(spec.clock.tz).value_or(TimeZone::utc());
    for (const auto& path : whole.empty() ? spec.paths : std::vector<std::string>{}) {
      auto bytes = support::read_file_bounded(path, {.max_bytes = manifest.max_file_bytes, .what = "data files"});
      if (!bytes) return Error(ErrorKind::kData, "input `" + spec.input + "`: " + bytes.error().messages.front());
      if (looks_like_zip(*bytes)) {
        whole = "a zip is not cut by line";
        break;
      }
      const SeriesRead read = read_source_text(spec, *bytes, path, kEndOfTime);
      if (!read.ok()) return Error(ErrorKind::kData, "input `" + spec.input + "` (" + spec.reader + "): " + read.problems.front().text());
      File file{fs::path(path).filename().string(), split_lines(*bytes), {}};
      file.known.assign(file.lines.size(), kNoObservation);
      std::vector<engine::Timestamp> known(read.times.size());
      for (std::size_t k = 0; k < read.times.size() && whole.empty(); ++k) {
        known[k] = known_at(spec.clock, zone, read.times[k], read.session_dates);
        const std::size_t line = read.line(k);
        if (line == 0 || line > file.lines.size() || file.known[line - 1] != kNoObservation) {
          whole = "its observations are not one per line";
        } else {
          file.known[line - 1] = known[k];
        }
      }
      // The cut must read back as exactly the observations known by then: checked once, at the
      // middle observation, so a layout the line mapping misreads is read whole, not cut wrong.
      if (whole.empty() && !known.empty()) {
        std::vector<engine::Timestamp> sorted = known;
        std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
        const engine::Timestamp middle = sorted[sorted.size() / 2];
        bool any = false;
        const SeriesRead again = read_source_text(spec, kept_text(file.lines, file.known, middle, any), path, kEndOfTime);
        std::vector<engine::Timestamp> expected;
        for (std::size_t k = 0; k < known.size(); ++k) {
          if (known[k] <= middle) expected.push_back(read.times[k]);
        }
        std::sort(expected.begin(), expected.end());
        if (!again.ok() || again.times != expected) whole = "its files do not read back cut by line";
      }
      if (!whole.empty()) break;
      input.files.push_back(std::move(file));
    }
    if (whole.empty() && input.files.empty()) whole = "no file";
    if (!whole.empty()) {
      cutter.read_whole_.push_back("input `" + spec.input + "` (" + spec.reader + "): " + whole);
      continue;
    }
    cutter.cut_.push_back(std::move(input));
  }
  return cutter;
}

Result<std::string> FileCutter::write(engine::Timestamp at, const std::string& folder) const {
  std::error_code ec;
  fs::remove_all(folder, ec);
  fs::create_directories(folder, ec);
  if (ec) return Error(ErrorKind::kIo, folder + ": cannot create the folder: " + ec.message());
  auto write_file = [](const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
    return static_cast<bool>(out.flush());
  };
  nlohmann::json manifest = nlohmann::json::parse(manifest_text_, nullptr, false);
  if (manifest.is_discarded() || !manifest.contains("inputs")) {
    return Error(ErrorKind::kData, "the manifest changed while it was checked");
  }
  auto absolute = [&](const std::string& path) { return (fs::path(base_) / path).lexically_normal().string(); };
  for (auto& [name, entry] : manifest["inputs"].items()) {
    if (entry.contains("path")) entry["path"] = absolute(entry["path"].get<std::string>());
  }
  if (manifest.contains("http") && manifest["http"].contains("cache_dir")) {
    manifest["http"]["cache_dir"] = absolute(manifest["http"]["cache_dir"].get<std::string>());
  }
  for (std::size_t k = 0; k < cut_.size(); ++k) {
    const Input& input = cut_[k];
    const fs::path dir = fs::path(folder) / ("input-" + std::to_string(k));
    fs::create_directories(dir, ec);
    std::size_t written = 0;
    std::string only;
    for (const auto& file : input.files) {
      bool any = false;
      const std::string text = kept_text(file.lines, file.known, at, any);
      // A file with nothing known yet did not exist; one is still written (its header) when
      // none did, so the input reads as having no observation rather than no file.
      if (!any && (written > 0 || &file != &input.files.back())) continue;
      if (!write_file(dir / file.name, text)) return Error(ErrorKind::kIo, (dir / file.name).string() + ": cannot write");
      only = (dir / file.name).string();
      ++written;
    }
    auto& entry = manifest["inputs"][input.name];
    if (!entry.contains("source")) entry["source"] = entry["path"];
    entry["path"] = written == 1 ? only : (dir / "*").string();
  }
  const fs::path path = fs::path(folder) / "sources.json";
  if (!write_file(path, manifest.dump(2))) return Error(ErrorKind::kIo, path.string() + ": cannot write");
  return path.string();
}

}  // namespace riskoff::adapters
