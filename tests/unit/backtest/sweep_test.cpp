// The sweep grid as `--sweep` writes it (ranges, lists, units, the bounds) and the plateau
// verdict on grids whose annual returns are set by hand.
#include <catch2/catch.hpp>

#include "backtest/sweep.hpp"

using namespace riskoff;
using namespace riskoff::backtest;

namespace {

std::vector<SweepAxis> parsed(const std::vector<std::string>& texts) {
  std::vector<SweepAxis> axes;
  std::vector<std::string> errors;
  const bool ok = parse_sweep_axes(texts, axes, errors);
  INFO((errors.empty() ? std::string("no error") : errors.front()));
  REQUIRE(ok);
  return axes;
}

std::string first_error(const std::vector<std::string>& texts) {
  std::vector<SweepAxis> axes;
  std::vector<std::string> errors;
  CHECK_FALSE(parse_sweep_axes(texts, axes, errors));
  REQUIRE_FALSE(errors.empty());
  return errors.front();
}

// A grid of `rows` x `columns` points whose annual return is annual(row, column).
template <typename Annual>
SweepReport grid(std::size_t rows, std::size_t columns, std::size_t own_row, std::size_t own_column, Annual annual) {
  SweepReport report;
  report.plateau_tolerance = 0.01;
  report.axes = {{"a", std::vector<std::string>(rows, "1"), "1", own_row}, {"b", std::vector<std::string>(columns, "1"), "1", own_column}};
  for (std::size_t row = 0; row < rows; ++row) {
    for (std::size_t column = 0; column < columns; ++column) {
      SweepPoint point;
      point.at = {row, column};
      point.figures.annual_return = annual(row, column);
      report.points.push_back(point);
    }
  }
  return report;
}

}  // namespace

TEST_CASE("a range gives every value from FROM to TO by STEP, in FROM's unit", "[backtest][sweep]") {
  CHECK(parsed({"yield_jump=10bp..20bp/5bp"})[0].values == std::vector<std::string>{"10bp", "15bp", "20bp"});
  // Binary rounding neither drops the last value nor shows in the texts.
  CHECK(parsed({"dollar_jump=0.5%..1.5%/0.25%"})[0].values ==
        std::vector<std::string>{"0.5%", "0.75%", "1%", "1.25%", "1.5%"});
  CHECK(parsed({"x=0.1..0.3/0.1"})[0].values == std::vector<std::string>{"0.1", "0.2", "0.3"});
  CHECK(parsed({"semis_gap=-4%..-2%/1"})[0].values == std::vector<std::string>{"-4%", "-3%", "-2%"});
  // A STEP that does not land on TO stops below it.
  CHECK(parsed({"w=3d..10d/3d"})[0].values == std::vector<std::string>{"3d", "6d", "9d"});
}

TEST_CASE("a list gives its values as written, and several axes keep their order", "[backtest][sweep]") {
  const auto axes = parsed({"vix_stress=20, 25,30", "move_window=5d"});
  REQUIRE(axes.size() == 2);
  CHECK(axes[0].parameter == "vix_stress");
  CHECK(axes[0].values == std::vector<std::string>{"20", "25", "30"});
  CHECK(axes[1].values == std::vector<std::string>{"5d"});
}

TEST_CASE("malformed sweeps are refused with a message naming --sweep", "[backtest][sweep]") {
  CHECK(first_error({"yield_jump=10bp..20bp/0bp"}) == "--sweep `yield_jump=10bp..20bp/0bp`: STEP must be greater than 0");
  CHECK(first_error({"yield_jump=10bp..20bp/-5bp"}).find("STEP must be greater than 0") != std::string::npos);
  CHECK(first_error({"yield_jump=20bp..10bp/5bp"}).find("TO is below FROM") != std::string::npos);
  CHECK(first_error({"yield_jump=10bp..20bp"}).find("expected NAME=FROM..TO/STEP") != std::string::npos);
  CHECK(first_error({"yield_jump=10bp..20%/5bp"}).find("unit `%` differs from FROM's `bp`") != std::string::npos);
  CHECK(first_error({"yield_jump=ten..20bp/5bp"}).find("must be numbers") != std::string::npos);
  CHECK(first_error({"yield_jump=10bp,,20bp"}).find("an empty value") != std::string::npos);
  CHECK(first_error({"yield_jump"}).find("expected NAME=FROM..TO/STEP") != std::string::npos);
  CHECK(first_error({"=1,2"}).find("expected NAME=FROM..TO/STEP") != std::string::npos);
  CHECK(first_error({"x=1,2", "x=3"}).find("`x` is swept twice") != std::string::npos);
  CHECK(first_error({}).find("no parameter to sweep") != std::string::npos);
}

TEST_CASE("a grid is bounded at 10,000 points, on one axis or across several", "[backtest][sweep]") {
  CHECK(parsed({"x=1..10000/1"})[0].values.size() == 10000);
  CHECK(first_error({"x=1..10001/1"}) == "--sweep `x=1..10001/1`: 10001 values; a sweep has at most 10000 points");
  CHECK(first_error({"x=1..1e300/1"}).find("a sweep has at most 10000 points") != std::string::npos);
  CHECK(first_error({"x=1..200/1", "y=1..51/1"}).find("the grid has more than 10000 points") != std::string::npos);
  CHECK(parsed({"x=1..200/1", "y=1..50/1"}).size() == 2);
}

TEST_CASE("the own point is on a plateau when every neighbour is within the tolerance", "[backtest][sweep]") {
  // Flat within 0.5 pp around (1, 1); far away at the corners, which are not neighbours.
  auto report = grid(3, 3, 1, 1, [](std::size_t row, std::size_t column) {
    if (row != 1 && column != 1) return 0.50;
    return row == 1 && column == 1 ? 0.10 : 0.105;
  });
  judge_plateau(report);
  CHECK(report.verdict == PlateauVerdict::kPlateau);
  REQUIRE(report.own_point == 4U);
  CHECK(report.neighbours == std::vector<std::size_t>{1, 3, 5, 7});
  CHECK(report.verdict_text.find("a plateau (every neighbour within ±1.0 pp)") != std::string::npos);
}

TEST_CASE("the own point is an edge when one neighbour is further than the tolerance", "[backtest][sweep]") {
  // At a corner (0, 0): two neighbours, one of them 3 pp lower.
  auto report = grid(3, 3, 0, 0, [](std::size_t row, std::size_t column) { return row == 1 && column == 0 ? 0.07 : 0.10; });
  judge_plateau(report);
  CHECK(report.verdict == PlateauVerdict::kEdge);
  CHECK(report.neighbours == std::vector<std::size_t>{1, 3});
  CHECK(report.verdict_text.find("an edge (a neighbour differs by 3.0 pp, more than ±1.0 pp)") != std::string::npos);
}

TEST_CASE("own values off the grid, or a grid of one point, give no plateau verdict", "[backtest][sweep]") {
  auto off = grid(2, 2, 0, 0, [](std::size_t, std::size_t) { return 0.1; });
  off.axes[1].own.reset();
  off.axes[1].own_value = "7";
  judge_plateau(off);
  CHECK(off.verdict == PlateauVerdict::kOffGrid);
  CHECK_FALSE(off.own_point);
  CHECK(off.verdict_text == "the ruleset's own values (a=1, b=7) are not a point of the grid: no plateau verdict");
  auto single = grid(1, 1, 0, 0, [](std::size_t, std::size_t) { return 0.1; });
  judge_plateau(single);
  CHECK(single.verdict == PlateauVerdict::kOffGrid);
  CHECK(single.verdict_text.find("no neighbour on the grid") != std::string::npos);
}
