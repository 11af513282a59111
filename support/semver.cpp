#include "support/semver.hpp"

#include <algorithm>
#include <charconv>

namespace riskoff::support {
namespace {

bool is_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
  });
}

// A numeric field or identifier: digits, no leading zero unless it is "0" (SemVer §2, §9).
bool is_number(std::string_view text) { return is_digits(text) && (text.size() == 1 || text[0] != '0'); }

std::optional<std::uint64_t> number(std::string_view text) {
  if (!is_number(text)) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;  // too large
  return value;
}

// Splits at every dot; an empty piece stays, so "a..b" and "a." are refused by the caller.
std::vector<std::string_view> split_dots(std::string_view text) {
  std::vector<std::string_view> out;
  std::size_t at = 0;
  while (true) {
    const auto dot = text.find('.', at);
    out.push_back(text.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at));
    if (dot == std::string_view::npos) return out;
    at = dot + 1;
  }
}

std::weak_ordering identifier_order(std::string_view a, std::string_view b) {
  const bool a_numeric = is_digits(a), b_numeric = is_digits(b);
  if (a_numeric && b_numeric) {
    // Without leading zeros (parse refuses them), the longer number is the larger one; this
    // also orders numbers too long for any integer type.
    if (a.size() != b.size()) return a.size() <=> b.size();
    return a.compare(b) <=> 0;
  }
  if (a_numeric != b_numeric) return a_numeric ? std::weak_ordering::less : std::weak_ordering::greater;
  return a.compare(b) <=> 0;
}

}  // namespace

std::optional<SemVer> parse_semver(std::string_view text) {
  SemVer out;
  const auto plus = text.find('+');
  if (plus != std::string_view::npos) {
    const auto build = text.substr(plus + 1);
    for (const auto piece : split_dots(build)) {
      if (!is_identifier(piece)) return std::nullopt;
    }
    out.build = std::string(build);
    text = text.substr(0, plus);
  }
  const auto dash = text.find('-');
  if (dash != std::string_view::npos) {
    for (const auto piece : split_dots(text.substr(dash + 1))) {
      if (!is_identifier(piece) || (is_digits(piece) && !is_number(piece))) return std::nullopt;
      out.pre_release.emplace_back(piece);
    }
    text = text.substr(0, dash);
  }
  const auto core = split_dots(text);
  if (core.size() != 3) return std::nullopt;
  const auto major = number(core[0]), minor = number(core[1]), patch = number(core[2]);
  if (!major || !minor || !patch) return std::nullopt;
  out.major = *major;
  out.minor = *minor;
  out.patch = *patch;
  return out;
}

std::weak_ordering semver_order(const SemVer& a, const SemVer& b) {
  if (const auto c = a.major <=> b.major; c != 0) return c;
  if (const auto c = a.minor <=> b.minor; c != 0) return c;
  if (const auto c = a.patch <=> b.patch; c != 0) return c;
  if (a.pre_release.empty() != b.pre_release.empty()) {
    return a.pre_release.empty() ? std::weak_ordering::greater : std::weak_ordering::less;
  }
  const auto n = std::min(a.pre_release.size(), b.pre_release.size());
  for (std::size_t k = 0; k < n; ++k) {
    if (const auto c = identifier_order(a.pre_release[k], b.pre_release[k]); c != 0) return c;
  }
  return a.pre_release.size() <=> b.pre_release.size();
}

bool version_less(std::string_view a, std::string_view b) {
  const auto x = parse_semver(a), y = parse_semver(b);
  if (x && y) return semver_order(*x, *y) < 0;
  if (x.has_value() != y.has_value()) return y.has_value();
  return a < b;
}

Bump declared_bump(std::string_view from, std::string_view to) {
  if (from == to) return Bump::kNone;
  const SemVer x = parse_semver(from).value_or(SemVer{}), y = parse_semver(to).value_or(SemVer{});
  if (x.major == 0 && y.major == 0) {
    return y.minor != x.minor ? Bump::kMajor : y.patch != x.patch ? Bump::kMinor : Bump::kPatch;
  }
  return y.major != x.major ? Bump::kMajor : y.minor != x.minor ? Bump::kMinor : Bump::kPatch;
}

}  // namespace riskoff::support
