#include "bench/generated_ruleset.hpp"

#include <algorithm>

namespace riskoff::bench {
namespace {

constexpr std::size_t kSignalsPerPart = 2000;
constexpr std::size_t kInputsPerPart = 200;
constexpr std::size_t kSignalsPerDriver = 100;
constexpr std::size_t kObservations = 10;
constexpr std::int64_t kAsOf = 1770238800;  // 2026-02-04T21:00:00Z
constexpr std::int64_t kDay = 86400;

std::string part_text(std::size_t part, std::size_t signals) {
  std::string text = "ruleset part" + std::to_string(part) + " version \"1.0.0\"\n\n";
  for (std::size_t k = 0; k < kInputsPerPart; ++k) {
    text += "input i" + std::to_string(k) + " : series 1d number" + (k % 100 == 99 ? " optional" : "") + "\n";
  }
  for (std::size_t k = 0; k < kInputsPerPart; ++k) {
    text += "param p" + std::to_string(k) + " = " + std::to_string(k % 7) + ".5\n";
  }
  for (std::size_t s = 0; s < signals; ++s) {
    const std::string input = "i" + std::to_string(s % kInputsPerPart);
    const std::string param = "p" + std::to_string((s * 7) % kInputsPerPart);
    const std::string lhs = s % 4 == 3 ? "change(" + input + ", 5d)" : input;
    text += "signal s" + std::to_string(s) + " \"Signal\" = " + lhs + (s % 2 == 0 ? " > " : " < ") + param + "\n";
  }
  for (std::size_t first = 0; first < signals; first += kSignalsPerDriver) {
    text += "driver d" + std::to_string(first / kSignalsPerDriver) + " \"Driver\" = any(";
    for (std::size_t s = first; s < std::min(signals, first + kSignalsPerDriver); ++s) {
      text += (s == first ? "s" : ", s") + std::to_string(s);
    }
    text += ")\n";
  }
  return text;
}

}  // namespace

GeneratedRuleset generate_ruleset(std::size_t signals) {
  GeneratedRuleset out;
  const std::size_t part_count = std::max<std::size_t>(1, (signals + kSignalsPerPart - 1) / kSignalsPerPart);
  out.root = "ruleset generated version \"1.0.0\" \"" + std::to_string(signals) + " generated signals\"\n\n";
  out.as_of = kAsOf;
  for (std::size_t t = 0; t < kObservations; ++t) {
    out.times.push_back(kAsOf - static_cast<std::int64_t>(kObservations - 1 - t) * kDay);
  }
  for (std::size_t part = 0; part < part_count; ++part) {
    const std::string alias = "m" + std::to_string(part);
    const std::string path = "part" + std::to_string(part) + ".rules";
    out.root += "import \"" + path + "\" as " + alias + "\n";
    out.parts[path] = part_text(part, std::min(kSignalsPerPart, signals - part * kSignalsPerPart));
    for (std::size_t k = 0; k < kInputsPerPart; ++k) {
      if (k % 100 == 99) continue;  // optional and missing
      out.input_names.push_back(alias + ".i" + std::to_string(k));
      std::vector<double> values;
      for (std::size_t t = 0; t < kObservations; ++t) values.push_back(static_cast<double>((k * 13 + t * 5 + part) % 10) + 0.25);
      out.values.push_back(std::move(values));
    }
  }
  out.root +=
      "\nprofile main \"Generated\" {\n  decide\n    hedge when count(drivers) >= 3\n"
      "    reduce when count(drivers) >= 2\n    wait otherwise\n}\n";
  return out;
}

}  // namespace riskoff::bench
