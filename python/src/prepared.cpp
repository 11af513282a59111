// PreparedInputs for Python (riskoff.Prepared): inputs found by name once, values set by slot,
// the rules evaluated row by row on one reused state (include/riskoff/prepared.hpp). Times are
// seconds here; riskoff/_decide.py converts dates and datetimes before calling in.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core.hpp"
#include "riskoff/prepared.hpp"

namespace riskoff::python {
namespace {

void check(const Status& status) {
  if (!status) raise_error(status.error());
}

InputSlot slot_of(const PreparedInputs& self, std::int64_t index) {
  // Out of range (negative included) becomes an index the library refuses with its message.
  const auto count = static_cast<std::int64_t>(self.slot_count());
  return InputSlot{static_cast<std::uint32_t>(index < 0 || index >= count ? count : index)};
}

}  // namespace

void bind_prepared(py::module_& m) {
  py::class_<PreparedInputs>(m, "PreparedInputs")
      .def_static("prepare", [](const PyRuleset& ruleset, std::int64_t as_of, std::string profile,
                                std::vector<std::string> overrides, bool keep) {
        DecideOptions options{.profile = std::move(profile), .overrides = std::move(overrides),
                              .node_values = keep ? NodeValues::kKeep : NodeValues::kDrop};
        return take(PreparedInputs::prepare(ruleset.ruleset, as_of, options));
      }, py::arg("ruleset"), py::arg("as_of"), py::arg("profile"), py::arg("overrides"), py::arg("keep"))
      .def("slot", [](const PreparedInputs& self, std::string_view name) { return take(self.slot(name)).index; },
           py::arg("name"))
      .def_property_readonly("slot_count", &PreparedInputs::slot_count)
      .def_property_readonly("as_of", &PreparedInputs::as_of)
      .def("set_as_of", [](PreparedInputs& self, std::int64_t as_of) { check(self.set_as_of(as_of)); }, py::arg("as_of"))
      .def("set", [](PreparedInputs& self, std::int64_t slot, std::int64_t time, double value) {
        check(self.set(slot_of(self, slot), time, value));
      }, py::arg("slot"), py::arg("time"), py::arg("value"))
      .def("append", [](PreparedInputs& self, std::int64_t slot, std::int64_t time, double value) {
        check(self.append(slot_of(self, slot), time, value));
      }, py::arg("slot"), py::arg("time"), py::arg("value"))
      .def("clear", [](PreparedInputs& self, std::int64_t slot) { check(self.clear(slot_of(self, slot))); },
           py::arg("slot"))
      // One row as its own instant: as_of moves to `time` and every slot holds one observation
      // at `time` (a value per slot, in slot order; None leaves the slot empty), then the
      // evaluation: one call into C++ per row.
      .def("evaluate_row", [](PreparedInputs& self, std::int64_t time, const std::vector<std::optional<double>>& values) {
        if (values.size() != self.slot_count()) {
          raise_error(Error(ErrorKind::kUsage, "a row needs " + std::to_string(self.slot_count()) + " values (one per slot), got " +
                                                   std::to_string(values.size())));
        }
        // Emptied first, so no slot holds an observation after the new as_of.
        for (std::uint32_t index = 0; index < values.size(); ++index) check(self.clear({index}));
        check(self.set_as_of(time));
        for (std::uint32_t index = 0; index < values.size(); ++index) {
          if (values[index]) check(self.set({index}, time, *values[index]));
        }
        auto row = take(self.evaluate());
        return py::make_tuple(std::string(row.action), row.depends_on_unknown);
      }, py::arg("time"), py::arg("values"))
      .def("evaluate", [](PreparedInputs& self) {
        auto row = take(self.evaluate());
        return py::make_tuple(std::string(row.action), row.depends_on_unknown);
      })
      .def("decide", [](PreparedInputs& self) { return take(self.decide()); })
      .def("snapshot", &PreparedInputs::snapshot);
}

}  // namespace riskoff::python
