// The languages the console has a complete catalogue for (web/src/i18n), which a user
// may choose as theirs (users.language). A language is added here when its catalogue
// is complete. Constant data: thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <string_view>

namespace parley::auth {

inline constexpr std::array<std::string_view, 2> kConsoleLanguages = {"en", "ru"};

inline bool is_console_language(std::string_view tag) {
  return std::find(kConsoleLanguages.begin(), kConsoleLanguages.end(), tag) != kConsoleLanguages.end();
}

}  // namespace parley::auth
