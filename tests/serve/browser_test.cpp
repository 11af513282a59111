// The audit-review page in a real browser (Debian's headless Chromium, driven over the DevTools
// protocol): a server started here with decisions recorded through the API, then timeline ->
// filter -> explanation -> diff with the previous -> chain status -> ruleset diff -> replay -> a day of it, as a user
// clicks through it. A screenshot of each view goes to build/.../tests/screenshots/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "tests/serve/browser.hpp"
#include "tests/serve/server_process.hpp"
#include "tests/support/files.hpp"
#include "tests/support/run_process.hpp"

namespace {

using riskoff::test::Browser;
using riskoff::test::decide_body;
using riskoff::test::post_json;
using riskoff::test::ServerProcess;

using riskoff::test::kToken;

bool has(const std::string& dom, const std::string& part) { return dom.find(part) != std::string::npos; }

std::string screenshot_path(const std::string& name) {
  const std::filesystem::path folder = std::filesystem::path(RISKOFF_BUILD_DIR) / "tests" / "screenshots";
  std::filesystem::create_directories(folder);
  return (folder / (name + ".png")).string();
}

}  // namespace

TEST_CASE("page: timeline, filters, explanation, diff, chain status, ruleset diff and replay in headless Chromium", "[serve][browser]") {
  riskoff::testing::ScratchFolder scratch("serve-browser");
  const std::string db = (scratch.root / "audit.sqlite").string();
  // A registry with two versions, so the rulesets view has a diff to show.
  std::string next = riskoff::testing::read_file("rulesets/riskoff.rules");
  next = std::regex_replace(next, std::regex(R"(version "0\.2\.0")"), R"(version "0.3.0")");
  next = std::regex_replace(next, std::regex(R"(param semis_gap = -3%)"), "param semis_gap = -2%");
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", "rulesets/riskoff.rules", "--db", db}).exit_code == 0);
  REQUIRE(riskoff::test::run_process(RISKOFF_BINARY, {"ruleset", "publish", scratch.write("riskoff.rules", next), "--db", db})
              .exit_code == 0);
  ServerProcess server({"--registry", db, "--use", "riskoff@0.2.0", "--db", db, "--token-file", scratch.write("token", kToken),
                        "--sources", "local=examples/sources-local.json"},
                       (scratch.root / "serve.log").string());
  auto client = server.client();
  // 1 wait, 2 hedge, 3 reduce (swing), 4 long_term.
  for (const auto& [date, profile] : {std::pair{"2019-11-15", "swing"}, {"2020-03-16", "swing"}, {"2026-02-04", "swing"},
                                      {"2026-02-04", "long_term"}}) {
    REQUIRE(post_json(client, "/v1/decide", decide_body(std::string("examples/snapshots/") + date + ".json", profile, true), kToken)
                .status == 200);
  }
  const std::string site = "http://127.0.0.1:" + std::to_string(server.port());
  Browser browser(RISKOFF_CHROMIUM, (scratch.root / "chromium").string());

  // The timeline: every decision, the chain verified.
  REQUIRE(browser.open(site + "/") == "ready");
  std::string dom = browser.dom();
  INFO(dom);
  for (const char* row : {"id=\"decision-1\"", "id=\"decision-2\"", "id=\"decision-3\"", "id=\"decision-4\""}) CHECK(has(dom, row));
  CHECK(has(dom, "Hash chain verified: 4 records, up to #4"));
  browser.screenshot(screenshot_path("timeline"));

  // Filters, chosen in the form and submitted: swing and hedge leave decision 2.
  browser.evaluate("document.getElementById('f-profile').value = 'swing'; document.getElementById('f-action').value = 'hedge'");
  REQUIRE(browser.click("form.filters button[type=submit]") == "ready");
  dom = browser.dom();
  CHECK(browser.evaluate("location.search").get<std::string>() == "?from=&to=&profile=swing&action=hedge&ruleset=");
  CHECK(has(dom, "id=\"decision-2\""));
  CHECK_FALSE(has(dom, "id=\"decision-1\""));
  CHECK_FALSE(has(dom, "id=\"decision-4\""));
  REQUIRE(browser.open(site + "/?from=2026-01-01&to=2026-12-31&profile=long_term") == "ready");
  dom = browser.dom();
  CHECK(has(dom, "id=\"decision-4\""));
  CHECK_FALSE(has(dom, "id=\"decision-3\""));
  browser.screenshot(screenshot_path("timeline-filtered"));

  // A row opens the explanation, rendered as the command line renders it.
  REQUIRE(browser.open(site + "/?profile=swing") == "ready");
  REQUIRE(browser.click("#decision-3 a") == "ready");
  dom = browser.dom();
  CHECK(has(dom, "<h1>Decision #3</h1>"));
  CHECK(has(dom, "<span class=\"action action-reduce\">reduce</span> · profile swing · as of 2026-02-04T21:00:00Z"));
  CHECK(has(dom, "Ruleset riskoff 0.2.0 (sha256 "));
  CHECK(has(dom, "semis_vs_spx -3.79% &lt; semis_gap -3.00%, margin +0.79%"));  // the because chain, with numbers
  CHECK(has(dom, "<caption>3 of 5 risk-off</caption>"));                        // the checklist
  CHECK(has(dom, "<caption>2 of 4 on</caption>"));                              // the drivers
  CHECK(has(dom, "btc_long_liqs"));                                             // an unknown input
  CHECK(has(dom, "REDUCE  ·  profile swing"));                                  // the CLI's text
  browser.screenshot(screenshot_path("decision"));

  // ... and links to what changed since the previous decision of its profile.
  REQUIRE(browser.click("a[href='/?diff=2&with=3']") == "ready");
  dom = browser.dom();
  CHECK(has(dom, "The action changed from hedge to reduce."));
  CHECK(has(dom, "<tr class=\"changed\"><td>signal</td><td>vix_spike</td><td>true</td><td>false</td></tr>"));
  CHECK(has(dom, "<tr class=\"changed\"><td>check</td><td>macro</td><td>true</td><td>false</td></tr>"));
  browser.screenshot(screenshot_path("diff"));

  // Chain status: a record edited in the store is shown as tampered, and the chain as broken.
  REQUIRE(riskoff::test::run_process("/usr/bin/sqlite3", {db, "UPDATE decisions SET action = 'wait' WHERE id = 2"}).exit_code == 0);
  REQUIRE(browser.open(site + "/") == "ready");
  dom = browser.dom();
  CHECK(has(dom, "Hash chain broken at record #2"));
  CHECK(has(dom, "<tr id=\"decision-2\" class=\"tampered\">"));
  browser.screenshot(screenshot_path("chain-broken"));
  REQUIRE(browser.open(site + "/?decision=2") == "error");
  CHECK(has(browser.dom(), "record 2 was edited after it was written"));

  // Rulesets: the versions, the text, the semantic diff between two.
  REQUIRE(browser.open(site + "/?view=rulesets") == "ready");
  REQUIRE(browser.click("a[href='/?ruleset=riskoff%400.2.0']") == "ready");
  CHECK(has(browser.dom(), "<span class=\"kw\">ruleset</span> riskoff"));
  REQUIRE(browser.click("form.inline button[type=submit]") == "ready");
  dom = browser.dom();
  CHECK(has(dom, "From 0.2.0 to 0.3.0: minor bump implied"));
  CHECK(has(dom, "semis_gap"));
  browser.screenshot(screenshot_path("ruleset-diff"));

  // Replay: the link in the header, a period picked in the form, then the summary, the chart,
  // the episodes and the grouped changes of that period.
  REQUIRE(browser.click("nav a[href='/?view=replay']") == "ready");
  browser.evaluate("document.getElementById('r-from').value = '2020-01-01'; document.getElementById('r-to').value = '2020-06-30';"
                   "document.getElementById('r-profile').value = 'swing'");
  REQUIRE(browser.click("form.filters button[type=submit]") == "ready");
  dom = browser.dom();
  CHECK(browser.evaluate("location.search").get<std::string>() ==
        "?view=replay&from=2020-01-01&to=2020-06-30&profile=swing&ruleset=&sources=");
  CHECK(has(dom, "riskoff 0.2.0 · profile swing · 2020-01-02 → 2020-06-30 · 125 steps (trading days of spx)"));
  CHECK(has(dom, "<table id=\"replay-overlay\">"));
  CHECK(has(dom, "<caption>1 drawdown of the reference</caption>"));
  CHECK(has(dom, "<pre id=\"replay-changes\">Changes: "));
  // The chart is the library's SVG, loaded as an image (CSP: img-src 'self' blob:).
  CHECK(browser.evaluate("document.getElementById('replay-chart').naturalWidth > 0").get<bool>());
  browser.screenshot(screenshot_path("replay"));

  CHECK(server.stop(SIGTERM) == 0);
}

TEST_CASE("page: a day of the replay's band opens that day's explanation, by keyboard and by a click", "[serve][browser]") {
  riskoff::testing::ScratchFolder scratch("serve-browser-replay-day");
  ServerProcess server({"--ruleset", "rulesets/riskoff.rules", "--sources", "local=examples/sources-local.json"},
                       (scratch.root / "serve.log").string());
  auto client = server.client();
  const std::string site = "http://127.0.0.1:" + std::to_string(server.port());
  Browser browser(RISKOFF_CHROMIUM, (scratch.root / "chromium").string());
  REQUIRE(browser.open(site + "/?view=replay&from=2020-01-01&to=2020-06-30&profile=swing") == "ready");
  std::string dom;

  // Each day of the band opens that day's explanation: its action, date and profile as the replay's
  // step decided them (read from the API), by keyboard (arrow keys, End, Enter) and by a click.
  const auto steps = riskoff::test::get(client, "/v1/replay?from=2020-01-01&to=2020-06-30&profile=swing").body.at("replay").at("report").at("steps");
  REQUIRE(steps.size() == 125);
  CHECK(browser.evaluate("document.querySelectorAll('#replay-days .day').length").get<int>() == 125);
  const auto headline = [&steps](std::size_t idx) {
    const std::string action = steps[idx].at("action");
    return "<span class=\"action action-" + action + "\">" + action + "</span> · profile swing · as of " +
           steps[idx].at("decided_at").get<std::string>();
  };
  browser.evaluate("document.querySelector('#replay-days a[tabindex=\"0\"]').focus()");
  browser.press("ArrowRight");
  CHECK(browser.evaluate("document.activeElement.dataset.date").get<std::string>() == steps[1].at("time").get<std::string>().substr(0, 10));
  browser.press("End");
  CHECK(browser.evaluate("document.activeElement.dataset.date").get<std::string>() == "2020-06-30");
  // The last but one: the period's last step decides when the period ends, before its closes are all known.
  browser.press("ArrowLeft");
  CHECK(browser.evaluate("document.activeElement.dataset.date").get<std::string>() == "2020-06-29");
  REQUIRE(browser.press_enter() == "ready");
  dom = browser.dom();
  CHECK(has(dom, "<h1>Replay: 2020-06-29</h1>"));
  CHECK(has(dom, headline(steps.size() - 2)));
  REQUIRE(browser.open(site + "/?view=replay&from=2020-01-01&to=2020-06-30&profile=swing") == "ready");
  std::size_t crash = 0;  // 2020-03-16, the day the swing profile hedged (examples/snapshots/2020-03-16.json)
  while (crash < steps.size() && steps[crash].at("time") != "2020-03-16T00:00:00Z") ++crash;
  REQUIRE(crash < steps.size());
  CHECK(steps[crash].at("action") == "hedge");
  REQUIRE(browser.click("#replay-days a[data-date='2020-03-16']") == "ready");
  dom = browser.dom();
  CHECK(browser.evaluate("location.search").get<std::string>() == "?replay_day=2020-03-16&profile=swing&from=2020-01-01&to=2020-06-30");
  CHECK(has(dom, "<h1>Replay: 2020-03-16</h1>"));
  CHECK(has(dom, headline(crash)));
  CHECK(has(dom, "Ruleset riskoff 0.2.0 (sha256 "));
  CHECK(has(dom, "<caption>closest to flipping</caption>"));
  CHECK(has(dom, "HEDGE  ·  profile swing"));  // the CLI's text
  browser.screenshot(screenshot_path("replay-day"));
  REQUIRE(browser.click("a[href='/?view=replay&from=2020-01-01&to=2020-06-30&profile=swing']") == "ready");
  CHECK(has(browser.dom(), "id=\"replay-days\""));
  CHECK(server.stop(SIGTERM) == 0);
}
