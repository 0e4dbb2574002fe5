// ISO 3166-1 from Debian's iso-codes: every entry of iso_3166-1.json (alpha-2, alpha-3,
// numeric, name, official name) and its names in every language that has a gettext
// catalogue (<root>/locale/<lang>/LC_MESSAGES/iso_3166-1.mo), loaded into `states` and
// `state_names` by directory migration 110. Existing rows (a directory that had its
// states typed in) keep their name and are completed. No hand-typed list.
//
// Functions over a Connection in the caller's transaction; thread-safe.
#pragma once

#include <string>

#include "storage/database.h"

namespace parley::directory {

// The folder that holds iso-codes/json/iso_3166-1.json and locale/ (Debian: /usr/share).
inline constexpr const char* kDefaultIsoCodesRoot = "/usr/share";

// A gettext locale folder name as a BCP 47 tag: zh_CN -> zh-Hans, zh_TW -> zh-Hant,
// pt_BR -> pt-BR, sr@latin -> sr-Latn, uz@cyrillic -> uz-Cyrl, mo -> ro-MD. "" when it
// has no BCP 47 equivalent (en@quot and the like).
std::string bcp47_from_locale(const std::string& folder);

// Loads every entry and its names. Throws std::runtime_error with a message that says
// what to install or configure when the iso-codes files are not at `root`.
void load_iso3166(storage::Connection& c, const std::string& root);

}  // namespace parley::directory
