// Kept only for tests/unit/engine/check_test.cpp, which another branch is editing: include the
// helpers of tests/support/ directly instead (files.hpp, parse.hpp, check.hpp), and delete this
// file once nothing includes it. No dsl test includes it: the dsl tests link riskoff::dsl only,
// and check.hpp needs the engine.
#pragma once

#include "tests/support/check.hpp"
#include "tests/support/files.hpp"
#include "tests/support/parse.hpp"
