#include <catch2/catch.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "dsl/grammar.hpp"

TEST_CASE("the grammar has no infinite loops or left recursion", "[dsl][grammar]") {
  CHECK(tao::pegtl::analyze<riskoff::dsl::grammar::rule_file>() == 0);
}

namespace {
template <typename Rule>
bool matches_all(const std::string& text) {
  tao::pegtl::memory_input in(text, "test");
  try {
    return tao::pegtl::parse<tao::pegtl::seq<Rule, tao::pegtl::eof>>(in);
  } catch (const tao::pegtl::parse_error&) {
    return false;
  }
}
}  // namespace

TEST_CASE("number literals carry their units", "[dsl][grammar]") {
  using riskoff::dsl::grammar::number_lit;
  for (const char* ok : {"15bp", "1.5%", "2.5e9 usd", "5d", "4h", "30 bars", "0.7", "1e-3"}) {
    INFO(ok);
    CHECK(matches_all<number_lit>(ok));
  }
  for (const char* bad : {"15bpx", "5days", "1.", "e5"}) {
    INFO(bad);
    CHECK_FALSE(matches_all<number_lit>(bad));
  }
}

TEST_CASE("keywords are whole words and never names", "[dsl][grammar]") {
  using riskoff::dsl::grammar::name;
  CHECK(matches_all<name>("inputs"));
  CHECK(matches_all<name>("rates_up"));
  CHECK_FALSE(matches_all<name>("input"));
  CHECK_FALSE(matches_all<name>("otherwise"));
  CHECK_FALSE(matches_all<name>("9lives"));
}
