// The name of a country or territory (ISO 3166-1 alpha-2) in a language (BCP 47 tag),
// from ICU's locale data (CLDR). Used where Debian's iso-codes catalogues lack a
// translation (iso-codes 4.15 has no Russian name for "Türkiye"). Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace parley {

// "" when ICU has no name of its own for the region in that language (it would
// otherwise answer with a parent language's or the code itself).
std::string region_name(std::string_view alpha2, std::string_view language_tag);

}  // namespace parley
