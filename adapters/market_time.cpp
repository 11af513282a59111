#include "adapters/market_time.hpp"

#include <date/tz.h>

#include <charconv>

namespace riskoff::adapters::detail {
namespace {

const date::time_zone* find_zone(std::string_view zone, std::string& why) {
  try {
    return date::locate_zone(std::string(zone));
  } catch (const std::exception&) {
    why = "unknown time zone `" + std::string(zone.substr(0, 60)) + "` (expected a name of the tz database, like `America/New_York`)";
    return nullptr;
  }
}

}  // namespace

std::string local_to_utc(std::string_view zone, engine::Timestamp local, engine::Timestamp& utc) {
  std::string why;
  const date::time_zone* found = find_zone(zone, why);
  if (found == nullptr) return why;
  const date::local_seconds wall{std::chrono::seconds(local)};
  const date::local_info info = found->get_info(wall);
  if (info.result == date::local_info::nonexistent) {
    return "the local time does not exist in `" + std::string(zone) + "` (skipped by a daylight-saving change)";
  }
  if (info.result == date::local_info::ambiguous) {
    return "the local time happens twice in `" + std::string(zone) + "` (repeated by a daylight-saving change)";
  }
  utc = local - info.first.offset.count();
  return {};
}

std::string utc_to_local(std::string_view zone, engine::Timestamp utc, engine::Timestamp& local) {
  std::string why;
  const date::time_zone* found = find_zone(zone, why);
  if (found == nullptr) return why;
  const date::sys_seconds instant{std::chrono::seconds(utc)};
  local = utc + found->get_info(instant).offset.count();
  return {};
}

std::int64_t duration_seconds(std::string_view text) {
  std::int64_t count = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), count);
  if (ec != std::errc() || count <= 0 || count > 100000) return 0;
  const std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  if (unit == "s") return count;
  if (unit == "m" || unit == "min") return count * 60;
  if (unit == "h") return count * 3600;
  if (unit == "d" || unit == "D") return count * 86400;
  if (unit == "w") return count * 7 * 86400;
  return 0;
}

}  // namespace riskoff::adapters::detail
