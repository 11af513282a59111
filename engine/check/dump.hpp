// Internal to engine/: the checked form as stable, readable text, for `riskoff check
// --dump-after=PASS`. Shows only what the passes run so far established.
#pragma once

#include <cstddef>
#include <string>

#include "engine/check.hpp"

namespace riskoff::engine::detail {

// `passes_run`: how many entries of kCheckPasses ran, in order.
std::string render_checked(const CheckedRuleset& rs, std::size_t passes_run);

}  // namespace riskoff::engine::detail
