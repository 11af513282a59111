// libFuzzer target for the zip path of the data.binance.vision dumps (adapters/zip_member.hpp):
// the bytes as a `.zip` a manifest's data file or URL answer holds, its one member read within a
// limit (64 KiB here, the data-file limit in real use) and given to the two dump readers that
// read zips, as sources.cpp does. libzip itself is the system's (not instrumented): the fuzzer
// sees our side only, so the seeds are real archives (the dumps of tests/data/providers/).
#include "adapters/zip_member.hpp"
#include "fuzz_support.hpp"

namespace {
constexpr std::uint64_t kMaxMemberBytes = 64 << 10;
// A fixed "now" for the klines reader's in-progress bar: 2026-01-01T00:00:00Z.
constexpr riskoff::engine::Timestamp kNow = 1767225600;
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace riskoff::adapters;
  const std::string_view bytes = riskoff::fuzz::bytes(data, size);
  // Not only what looks like a zip (sources.cpp asks looks_like_zip first): libzip decides.
  const auto member = read_zip_member(bytes, kMaxMemberBytes);
  if (!member) {
    if (member.error().messages.empty() || member.error().messages.front().empty()) riskoff::fuzz::finding();
    return 0;
  }
  // The bound holds whatever the archive declares.
  if (member->size() > kMaxMemberBytes) riskoff::fuzz::finding();
  riskoff::fuzz::check_series(read_binance_klines_csv(*member, "fuzz.zip", kNow));
  riskoff::fuzz::check_series(read_binance_metrics_csv(*member, "fuzz.zip"));
  return 0;
}
