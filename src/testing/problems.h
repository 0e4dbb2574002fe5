// Test helper: the HTTP status of the Problem an action throws (0 when it throws
// none). Test-only.
#pragma once

#include <functional>

#include "common/problem.h"

namespace parley::testing {

inline int status_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Problem& p) {
    return p.status();
  }
  return 0;
}

}  // namespace parley::testing
