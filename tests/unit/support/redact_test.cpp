// Secrets never reach a message, a snapshot or the audit store (support/redact).
#include <catch2/catch.hpp>

#include "support/redact.hpp"

using riskoff::support::redact_message;
using riskoff::support::redact_url;

TEST_CASE("redact: credentials in a URL's userinfo", "[redact]") {
  CHECK(redact_url("https://user:hunter22@example.com/a.csv") == "https://REDACTED@example.com/a.csv");
  CHECK(redact_url("https://token@example.com") == "https://REDACTED@example.com");
}

TEST_CASE("redact: secret query parameters, any case, others kept", "[redact]") {
  CHECK(redact_url("https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=abcd1234&file_type=json") ==
        "https://api.stlouisfed.org/fred/series/observations?series_id=DGS10&api_key=REDACTED&file_type=json");
  CHECK(redact_url("https://x.test/p?APIKEY=1&Token=2&access_token=3&secret=4&password=5&sig=6&Signature=7&key=8#frag") ==
        "https://x.test/p?APIKEY=REDACTED&Token=REDACTED&access_token=REDACTED&secret=REDACTED&password=REDACTED&"
        "sig=REDACTED&Signature=REDACTED&key=REDACTED#frag");
  CHECK(redact_url("https://x.test/p?a=1&&b") == "https://x.test/p?a=1&&b");
  CHECK(redact_url("https://x.test/keys?monkey=1") == "https://x.test/keys?monkey=1");
  CHECK(redact_url("not a url") == "not a url");
}

TEST_CASE("redact: every URL in a message, and the URL's secrets echoed back", "[redact]") {
  const std::string url = "https://u:pa55word@x.test/q?api_key=abcd1234";
  CHECK(redact_message("request failed: " + url + " timed out", url) ==
        "request failed: https://REDACTED@x.test/q?api_key=REDACTED timed out");
  CHECK(redact_message("HTTP 400: {\"error\": \"api_key abcd1234 is not registered\"}", url) ==
        "HTTP 400: {\"error\": \"api_key REDACTED is not registered\"}");
  CHECK(redact_message("see `http://a:b@h/`", "") == "see `http://REDACTED@h/`");
}
