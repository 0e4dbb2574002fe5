// Small text utilities shared by every module: trimming, case folding, UTF-8 checks,
// escaping for LIKE patterns, and validators for the formats Parley accepts
// (ISO 3166-1 alpha-3, BCP 47, e-mail, phone, IANA time zone, dates).
// Pure functions: thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parley {

std::string trim(std::string_view s);
std::string to_lower(std::string_view s);   // ASCII only
std::string to_upper(std::string_view s);   // ASCII only
bool is_valid_utf8(std::string_view s);
bool has_control_chars(std::string_view s);   // C0 but tab and line feed, and DEL
bool is_one_line(std::string_view s);         // no C0 control (tab and line feed included), no DEL
std::size_t utf8_length(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);

// The longest prefix of `s` of at most `max_bytes` bytes that ends at a UTF-8 character
// boundary (a cut never splits a character).
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);

// Text for XML or HTML content and attribute values: & < > " escaped, the C0 controls
// XML 1.0 has no place for (all but tab, LF, CR) dropped, and the noncharacters U+FFFE
// and U+FFFF (not XML characters either) replaced by U+FFFD.
std::string xml_escape(std::string_view s);

// Escapes %, _ and \ for a LIKE pattern that uses ESCAPE '\'.
std::string like_escape(std::string_view s);

bool is_alpha3(std::string_view s);            // three ASCII upper-case letters
bool is_language_tag(std::string_view s);      // BCP 47 shape: "en", "zh-Hans", "pt-BR"
bool is_email(std::string_view s);
bool is_phone(std::string_view s);             // "+7 717 270 00 00", digits, spaces, ()-.
bool is_time_zone(std::string_view s);         // "UTC" or an IANA name like "Asia/Almaty"
bool is_date(std::string_view s);              // YYYY-MM-DD, a real calendar date
bool is_fingerprint(std::string_view s);       // 40 or 64 hex digits, spaces allowed

}  // namespace parley
