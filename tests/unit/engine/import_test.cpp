#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "engine/check.hpp"
#include "tests/support/check.hpp"
#include "tests/support/files.hpp"
#include "tests/support/parse.hpp"

using namespace riskoff;
namespace fs = std::filesystem;

using Folder = riskoff::testing::ScratchFolder;

TEST_CASE("imported names are reached through their alias", "[engine][check][import]") {
  Folder folder("import-alias");
  folder.write("lib/macro.rules",
               "ruleset macro version \"1.0.0\"\n"
               "input us10y : series 1d percent \"y\"\n"
               "param jump = 15bp \"why\"\n"
               "signal rates_up \"Up\" = change(us10y, 5d) > jump\n"
               "driver rates \"Rates\" = rates_up\n");
  folder.write("main.rules",
               "ruleset main version \"1.0.0\"\n"
               "import \"lib/macro.rules\" as macro\n"
               "signal both \"Both\" = macro.rates_up and count(drivers) >= 1\n"
               "profile p { param macro.jump = 20bp decide hedge when both wait otherwise }\n"
               "test \"imported inputs are given by their alias\" {\n"
               "  given macro.us10y = [4.0, 4.0, 4.0, 4.0, 4.0, 4.3]\n  expect p -> hedge\n}\n");
  const auto result = engine::check_file(folder.root / "main.rules");
  INFO(riskoff::testing::codes(result.diagnostics));
  CHECK_FALSE(result.diagnostics.has_errors());
  CHECK(result.ruleset->by_name.count("macro.rates_up") == 1);
  CHECK(result.ruleset->modules.size() == 2);
}

TEST_CASE("an unqualified name does not leak out of an import", "[engine][check][import]") {
  Folder folder("import-leak");
  folder.write("a.rules", "ruleset a version \"1.0.0\"\nsignal s \"S\" = true\n");
  folder.write("main.rules", "ruleset main version \"1.0.0\"\nimport \"a.rules\" as a\nsignal t \"T\" = s\n");
  const auto result = engine::check_file(folder.root / "main.rules");
  REQUIRE(result.diagnostics.has_errors());
  CHECK(result.diagnostics.all()[0].code == DiagCode::kUnknownName);
}

TEST_CASE("import cycles are reported with the chain of files", "[engine][check][import]") {
  Folder folder("import-cycle");
  folder.write("a.rules", "ruleset a version \"1.0.0\"\nimport \"b.rules\" as b\n");
  folder.write("b.rules", "ruleset b version \"1.0.0\"\nimport \"a.rules\" as a\n");
  const auto result = engine::check_file(folder.root / "a.rules");
  REQUIRE(result.diagnostics.all().size() == 1);
  CHECK(result.diagnostics.all()[0].code == DiagCode::kImportCycle);
  CHECK(result.diagnostics.all()[0].message == "import cycle: a.rules -> b.rules -> a.rules");
}

TEST_CASE("a missing import is a diagnostic at the import, not a host failure", "[engine][check][import]") {
  Folder folder("import-missing");
  folder.write("main.rules", "ruleset main version \"1.0.0\"\nimport \"nope.rules\" as nope\n");
  const auto result = engine::check_file(folder.root / "main.rules");
  CHECK(result.io_error.empty());
  REQUIRE(result.diagnostics.all().size() == 1);
  CHECK(result.diagnostics.all()[0].code == DiagCode::kImportNotFound);
}

TEST_CASE("an unreadable root file is a host failure, not a diagnostic", "[engine][check][import]") {
  const auto result = engine::check_file(fs::temp_directory_path() / "riskoff-does-not-exist.rules");
  CHECK_FALSE(result.io_error.empty());
  CHECK(result.ruleset == nullptr);
}

TEST_CASE("imports given in memory resolve against the importing name's folder", "[engine][check][import]") {
  const engine::MemorySourceLoader loader({{"lib/macro.rules", "ruleset macro version \"1.0.0\"\n"
                                                               "import \"../a.rules\" as a\n"},
                                           {"a.rules", "ruleset a version \"1.0.0\"\nimport \"lib/macro.rules\" as m\n"}});
  CHECK(loader.locate("../a.rules", "lib/macro.rules").name == "a.rules");
  const auto result = engine::check_text("a.rules", "ruleset a version \"1.0.0\"\nimport \"lib/macro.rules\" as m\n", loader);
  INFO(riskoff::testing::codes(result.diagnostics));
  // The cycle is found by name, with no file on disk.
  REQUIRE(result.diagnostics.all().size() == 1);
  CHECK(result.diagnostics.all().front().message == "import cycle: a.rules -> macro.rules -> a.rules");
  CHECK(result.ruleset == nullptr);
  CHECK(result.sources.size() == 2);
}

TEST_CASE("a check result holds a ruleset only when it has no errors", "[engine][check]") {
  const auto broken = riskoff::testing::check("ruleset t version \"1.0.0\"\nsignal s \"S\" = nothing > 1\n");
  CHECK(broken.diagnostics.has_errors());
  CHECK(broken.ruleset == nullptr);
  CHECK(broken.sources.size() == 1);  // the diagnostics still render
  const auto fine = riskoff::testing::check("ruleset t version \"1.0.0\"\nsignal s \"S\" = true\n");
  CHECK_FALSE(fine.diagnostics.has_errors());
  REQUIRE(fine.ruleset != nullptr);
}
