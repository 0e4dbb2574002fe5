// ISO 3166-1 alpha-3 codes, for checking attributions when no forum is at hand (the
// `parley negotiate` CLI). Immutable data: thread-safe.
#pragma once

#include <string_view>

namespace parley::negotiation {
bool is_iso3166_alpha3(std::string_view code);
}
