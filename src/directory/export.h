// Directory export: CSV (RFC 4180, with spreadsheet formula injection neutralised) and
// vCard 4.0 (RFC 6350: CRLF lines folded at 75 octets on character boundaries,
// values escaped). Pure functions: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "directory/model.h"

namespace parley::directory {

// A contact past its validity (valid_until before `today`, YYYY-MM-DD; empty: today's
// UTC date) is marked: CSV column `expired` (yes/no), a vCard NOTE saying so.
std::string to_csv(const std::vector<Contact>& contacts, const std::string& today = "");
std::string to_vcard(const std::vector<Contact>& contacts, const std::string& today = "");
std::string vcard_escape(const std::string& value);
std::string vcard_fold(const std::string& line);

}  // namespace parley::directory
