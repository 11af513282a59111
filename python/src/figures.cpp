// A replay's figures as Python sees them (core.hpp): one tuple per replay for what travels
// between processes, numpy arrays for the frames; and the report formats by name.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "core.hpp"

namespace riskoff::python {

// The figures in the order of `riskoff replay --sweep --format csv`, changes apart (an integer).
py::tuple figure_tuple(const ReplayFigures& f) {
  return py::make_tuple(f.total_return, f.annual_return, f.volatility, f.max_drawdown, f.sharpe, f.off_wait,
                        f.changes, f.turnover);
}

ReplayFigures figures_of(const py::tuple& t) {
  if (t.size() != kFigureCount + 1) throw py::value_error("a replay's figures are 8 numbers");
  return ReplayFigures{.total_return = t[0].cast<double>(), .annual_return = t[1].cast<double>(),
                       .volatility = t[2].cast<double>(), .max_drawdown = t[3].cast<double>(),
                       .sharpe = t[4].cast<double>(), .off_wait = t[5].cast<double>(),
                       .changes = t[6].cast<std::size_t>(), .turnover = t[7].cast<double>()};
}

// Points x figures (float64) and the changes (int64), one row per entry of `all`.
py::tuple figure_arrays(const std::vector<ReplayFigures>& all) {
  py::array_t<double> numbers({all.size(), kFigureCount});
  py::array_t<std::int64_t> changes(static_cast<py::ssize_t>(all.size()));
  auto* out = numbers.mutable_data();
  auto* count = changes.mutable_data();
  for (std::size_t k = 0; k < all.size(); ++k) {
    const auto& f = all[k];
    const double row[kFigureCount] = {f.total_return, f.annual_return, f.volatility, f.max_drawdown,
                                      f.sharpe,       f.off_wait,      f.turnover};
    for (std::size_t c = 0; c < kFigureCount; ++c) out[k * kFigureCount + c] = row[c];
    count[k] = static_cast<std::int64_t>(f.changes);
  }
  return py::make_tuple(numbers, changes);
}

ReportFormat format_of(const std::string& format) {
  if (format == "text") return ReportFormat::kText;
  if (format == "csv") return ReportFormat::kCsv;
  if (format == "json") return ReportFormat::kJson;
  if (format == "svg") return ReportFormat::kSvg;
  raise_error(Error(ErrorKind::kUsage, "unknown format `" + format + "`: expected text, csv, json or svg"));
}

py::list baseline_list(const std::vector<BaselineResult>& baselines) {
  py::list out;
  for (const auto& b : baselines) out.append(py::make_tuple(b.ruleset, b.version, b.file, figure_tuple(b.figures)));
  return out;
}

}  // namespace riskoff::python
