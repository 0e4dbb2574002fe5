// What the fuzz targets share: a property check that stops the run like a crash, so
// that libFuzzer saves the input (a failed property is a finding, as a crash is).
// Used by one fuzzing thread: no shared state.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

// Aborts with `what` when `condition` is false.
#define FUZZ_PROPERTY(condition, what)                                                   \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      std::fprintf(stderr, "property failed at %s:%d: %s\n", __FILE__, __LINE__, what);  \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace parley::fuzz {

// The fuzzer's bytes as text.
inline std::string_view text_of(const unsigned char* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace parley::fuzz
