#include "support/redact.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <vector>

namespace riskoff::support {
namespace {

constexpr std::array<std::string_view, 9> kSecretNames = {"api_key", "apikey", "key",    "token",    "access_token",
                                                          "secret",  "password", "sig", "signature"};

bool secret_name(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::find(kSecretNames.begin(), kSecretNames.end(), lower) != kSecretNames.end();
}

// Where a URL's parts are: [authority_begin, authority_end) and the query [query_begin, query_end).
struct UrlParts {
  std::size_t authority_begin = std::string_view::npos, authority_end = 0, query_begin = std::string_view::npos,
              query_end = 0;
};

UrlParts split(std::string_view url) {
  UrlParts parts;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return parts;
  parts.authority_begin = scheme_end + 3;
  parts.authority_end = std::min(url.find_first_of("/?#", parts.authority_begin), url.size());
  const auto question = url.find('?', parts.authority_end);
  if (question != std::string_view::npos) {
    parts.query_begin = question + 1;
    parts.query_end = std::min(url.find('#', parts.query_begin), url.size());
  }
  return parts;
}

// The secrets a URL carries: the userinfo's password (or the whole userinfo) and secret values.
std::vector<std::string> secrets_of(std::string_view url) {
  std::vector<std::string> out;
  const UrlParts parts = split(url);
  if (parts.authority_begin == std::string_view::npos) return out;
  const std::string_view authority = url.substr(parts.authority_begin, parts.authority_end - parts.authority_begin);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    out.emplace_back(colon == std::string_view::npos ? userinfo : userinfo.substr(colon + 1));
  }
  if (parts.query_begin != std::string_view::npos) {
    std::string_view query = url.substr(parts.query_begin, parts.query_end - parts.query_begin);
    while (!query.empty()) {
      const auto amp = std::min(query.find('&'), query.size());
      const std::string_view pair = query.substr(0, amp);
      const auto equals = pair.find('=');
      if (equals != std::string_view::npos && secret_name(pair.substr(0, equals))) out.emplace_back(pair.substr(equals + 1));
      query.remove_prefix(std::min(amp + 1, query.size()));
    }
  }
  // Too short to replace blindly: "1" would scrub every digit of a message.
  out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return s.size() < 4; }), out.end());
  return out;
}

void replace_all(std::string& text, const std::string& secret) {
  for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kRedacted.size())) {
    text.replace(at, secret.size(), kRedacted);
  }
}

}  // namespace

std::string redact_url(std::string_view url) {
  const UrlParts parts = split(url);
  if (parts.authority_begin == std::string_view::npos) return std::string(url);
  std::string out(url.substr(0, parts.authority_begin));
  std::string_view authority = url.substr(parts.authority_begin, parts.authority_end - parts.authority_begin);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    out += kRedacted;
    authority.remove_prefix(at);  // keeps the `@`
  }
  out += authority;
  if (parts.query_begin == std::string_view::npos) {
    out += url.substr(parts.authority_end);
    return out;
  }
  out += url.substr(parts.authority_end, parts.query_begin - parts.authority_end);
  const std::string_view query = url.substr(parts.query_begin, parts.query_end - parts.query_begin);
  for (std::size_t start = 0;;) {
    const auto amp = query.find('&', start);
    const std::string_view pair = query.substr(start, amp == std::string_view::npos ? amp : amp - start);
    const auto equals = pair.find('=');
    if (equals != std::string_view::npos && secret_name(pair.substr(0, equals))) {
      out += pair.substr(0, equals + 1);
      out += kRedacted;
    } else {
      out += pair;
    }
    if (amp == std::string_view::npos) break;
    out += '&';
    start = amp + 1;
  }
  out += url.substr(parts.query_end);
  return out;
}

std::string redact_message(std::string_view message, std::string_view url) {
  std::string out;
  std::size_t at = 0;
  while (at < message.size()) {
    const auto scheme = message.find("://", at);
    if (scheme == std::string_view::npos) break;
    // Back up over the scheme's letters, then take the URL up to a space, quote or backtick.
    std::size_t begin = scheme;
    while (begin > at && (std::isalnum(static_cast<unsigned char>(message[begin - 1])) || message[begin - 1] == '+' ||
                          message[begin - 1] == '-' || message[begin - 1] == '.')) {
      --begin;
    }
    const std::size_t end = std::min(message.find_first_of(" \t\n\"'`<>", scheme), message.size());
    out += message.substr(at, begin - at);
    out += redact_url(message.substr(begin, end - begin));
    at = end;
  }
  if (at < message.size()) out += message.substr(at);
  for (const auto& secret : secrets_of(url)) replace_all(out, secret);
  return out;
}

}  // namespace riskoff::support
