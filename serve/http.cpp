#include "serve/http.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace riskoff::serve {
namespace {

bool same_header_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const std::string* named(const HeaderList& list, std::string_view name, bool fold_case) {
  for (const auto& [key, value] : list) {
    if (fold_case ? same_header_name(key, name) : key == name) return &value;
  }
  return nullptr;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// %XX escapes decoded; in a query, '+' is a space too (HTML forms encode it so).
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += plus_is_space && text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

}  // namespace

std::string Request::get_header_value(std::string_view name) const {
  const std::string* value = named(headers, name, true);
  return value == nullptr ? std::string() : *value;
}

bool Request::has_param(std::string_view name) const { return named(params, name, false) != nullptr; }

std::string Request::get_param_value(std::string_view name) const {
  const std::string* value = named(params, name, false);
  return value == nullptr ? std::string() : *value;
}

void Response::set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }

std::string Response::get_header_value(std::string_view name) const {
  const std::string* value = named(headers, name, true);
  return value == nullptr ? std::string() : *value;
}

void Response::set_content(std::string content, std::string type) {
  body = std::move(content);
  content_type = std::move(type);
}

bool parse_target(std::string_view target, Request& request) {
  const auto question = target.find('?');
  auto path = percent_decode(target.substr(0, question), false);
  if (!path) return false;
  request.path = std::move(*path);
  if (question == std::string_view::npos) return true;
  std::string_view query = target.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    const auto equals = pair.find('=');
    auto name = percent_decode(pair.substr(0, equals), true);
    auto value = percent_decode(equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1), true);
    if (!name || !value) return false;
    request.params.emplace_back(std::move(*name), std::move(*value));
  }
  return true;
}

}  // namespace riskoff::serve
