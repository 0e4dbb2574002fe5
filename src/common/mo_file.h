// A reader of GNU gettext's binary message catalogues (.mo files), as Debian's
// iso-codes ships them (/usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo).
//
// The format (GNU gettext manual, "The Format of GNU MO Files"): a magic number
// 0x950412de in the file's byte order, a revision, the number of strings N, the offsets
// of the table of originals and of translations (N entries of {length, offset} each, 32
// bits), then a hash table and the strings themselves. Every length and offset is
// checked against the file's size before it is used, so any bytes are safe to read:
// a malformed file is refused with MoError, never read out of bounds. Bounded: files
// over kMaxMoBytes are refused.
//
// Pure functions over bytes; thread-safe.
#pragma once

#include <cstddef>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace parley {

class MoError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

inline constexpr std::size_t kMaxMoBytes = 16 * 1024 * 1024;

// msgid -> msgstr. The header (empty msgid) is left out; for plural entries the key is
// the singular msgid and the value the first form; a msgid with a context keeps it
// ("context\x04msgid"). Entries whose translation is empty (untranslated) are left out.
// Throws MoError naming what is wrong.
std::map<std::string, std::string> read_mo(std::string_view bytes);

// Reads the file at `path` (at most kMaxMoBytes); throws MoError when it cannot.
std::map<std::string, std::string> read_mo_file(const std::string& path);

}  // namespace parley
