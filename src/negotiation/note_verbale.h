// The covering note verbale of a circulated revision, in the forum's languages, after
// the secretariats' usage (../shared/seeds/001): numbered by the forum's own scheme
// ("NCT/ICT/{n}"), the document's title and symbol, the date. Pure: thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace parley::negotiation {

struct NoteFacts {
  std::string number;        // "NCT/ICT/1014"
  std::string forum_code;    // "CICA"
  std::string forum_name;    // "Conference on Interaction and Confidence Building Measures in Asia"
  // The forum's name and abbreviation per language ({"ru": {"name": "Совещание по
  // взаимодействию и мерам доверия в Азии", "abbreviation": "СВМДА"}}): a note names the
  // forum in its own language when the forum has a name in it, else as above.
  std::map<std::string, std::pair<std::string, std::string>> forum_names;
  std::string title;
  std::string label;         // "SUM/2022/DRAFT/3/Rev.2"
  std::string date;          // YYYY-MM-DD
  bool revision = false;     // a revised draft (after Member States' comments)
};

// The note in each language asked for that Parley has a text for (en, ru, kk, fr, es,
// zh); `missing` receives the others (English stands in for them).
std::map<std::string, std::string> compose_notes(const NoteFacts& f, const std::vector<std::string>& languages,
                                                 std::vector<std::string>& missing);

// A note convening a meeting of one of the forum's bodies (the work plan's meetings):
// the meeting, its dates and place or link, its provisional agenda, the date by which
// delegations register.
struct ConvocationFacts {
  std::string number;
  std::string forum_code, forum_name;
  std::map<std::string, std::pair<std::string, std::string>> forum_names;   // as NoteFacts
  std::string body;            // "Special Working Group on ICT security"
  std::string meeting;         // "Fifth meeting"
  std::string starts_on, ends_on;   // YYYY-MM-DD
  std::string place, online_url;
  std::string registration_deadline;   // YYYY-MM-DD or empty
  std::vector<std::string> agenda;     // the items' titles, in order
  std::string date;            // of the note
};

// As compose_notes: each language asked for that has a text (en, ru); `missing` gets the
// others, for which the English note stands in.
std::map<std::string, std::string> compose_convocations(const ConvocationFacts& f, const std::vector<std::string>& languages,
                                                        std::vector<std::string>& missing);

// "NCT/ICT/{n}" with {n} the number, {year} the year, {forum} the forum's code.
std::string note_number(const std::string& pattern, std::int64_t n, const std::string& forum, int year);

// A date (YYYY-MM-DD) written out in a language: "23 November 2026", "23 ноября 2026 г.".
std::string long_date(const std::string& iso, const std::string& language);

}  // namespace parley::negotiation
