// Semantic versions: what parses (SemVer 2.0.0 §2, §9, §10), the order of §11 including its
// example chain, and the bump a version change declares.
#include <catch2/catch.hpp>

#include <vector>

#include "support/semver.hpp"

using riskoff::support::Bump;
using riskoff::support::declared_bump;
using riskoff::support::parse_semver;
using riskoff::support::version_less;

TEST_CASE("a semantic version parses into numbers, pre-release identifiers and build", "[support][semver]") {
  const auto v = parse_semver("1.20.3-rc.10.x-y+build.007");
  REQUIRE(v);
  CHECK(v->major == 1);
  CHECK(v->minor == 20);
  CHECK(v->patch == 3);
  CHECK(v->pre_release == std::vector<std::string>{"rc", "10", "x-y"});
  CHECK(v->build == "build.007");  // leading zeros are allowed in build metadata
  for (const char* good : {"0.0.0", "0.1.0", "1.2.0-rc1", "1.0.0-0", "1.0.0-alpha.0", "1.0.0+20130313144700",
                           "1.0.0-0A.is.legal", "18446744073709551615.0.0"}) {
    INFO(good);
    CHECK(parse_semver(good));
  }
  for (const char* bad : {"", "1", "1.2", "1.2.3.4", "01.2.3", "1.02.3", "1.2.03", "v1.2.3", "1.2.3-", "1.2.3+",
                          "1.2.3-rc..1", "1.2.3-rc.", "1.2.3-01", "1.2.3-r_c", "1.2.3+a..b", " 1.2.3", "1.2.3 ",
                          "1.-2.3", "18446744073709551616.0.0"}) {
    INFO(bad);
    CHECK_FALSE(parse_semver(bad));
  }
}

TEST_CASE("versions order as SemVer §11 says, including its example chain", "[support][semver]") {
  const std::vector<const char*> chain = {"1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                                          "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0",
                                          "1.0.1", "1.1.0", "1.10.0", "2.0.0"};
  for (std::size_t i = 0; i < chain.size(); ++i) {
    for (std::size_t j = 0; j < chain.size(); ++j) {
      INFO(chain[i] << " vs " << chain[j]);
      CHECK(version_less(chain[i], chain[j]) == (i < j));
    }
  }
  CHECK(version_less("1.0.0-rc.2", "1.0.0-rc.10"));        // numeric identifiers numerically
  CHECK(version_less("1.0.0-rc.99", "1.0.0-rc.a"));        // numeric below alphanumeric
  CHECK(version_less("1.0.0-rc1", "1.0.0"));
  CHECK(version_less("1.0.0-9", "1.0.0-10"));
  CHECK(version_less("1.0.0-2", "1.0.0-100000000000000000000000"));  // beyond 64 bits still numeric
  CHECK_FALSE(version_less("1.0.0+b", "1.0.0+a"));         // build metadata is ignored
  CHECK_FALSE(version_less("1.0.0+a", "1.0.0+b"));
  CHECK(version_less("not a version", "0.0.1"));            // the unparsable rank lowest, as text
  CHECK(version_less("", "x"));
}

TEST_CASE("a version change declares the highest field it changes; before 1.0.0 one field up", "[support][semver]") {
  CHECK(declared_bump("1.2.3", "1.2.3") == Bump::kNone);
  CHECK(declared_bump("1.2.3", "1.2.4") == Bump::kPatch);
  CHECK(declared_bump("1.2.3", "1.3.0") == Bump::kMinor);
  CHECK(declared_bump("1.2.3", "2.0.0") == Bump::kMajor);
  CHECK(declared_bump("1.0.0-rc.1", "1.0.0") == Bump::kPatch);
  CHECK(declared_bump("0.1.0", "0.2.0") == Bump::kMajor);
  CHECK(declared_bump("0.1.0", "0.1.1") == Bump::kMinor);
  CHECK(declared_bump("0.1.0", "1.0.0") == Bump::kMajor);
  CHECK(declared_bump("", "0.1.0") == Bump::kMajor);  // no header counts as 0.0.0
}
