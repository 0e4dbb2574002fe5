#include "library/ledger_rule.h"

#include <charconv>

#include "common/time.h"

#include "library/access.h"
#include "library/library_store.h"

namespace parley::library {

namespace {

bool readable(storage::Connection& c, const Reader& r, std::int64_t id) {
  const auto s = LibraryStore::contribution(c, id);
  return s && can_read(r, facts_of(*s));
}

}  // namespace

bool may_read_contribution_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "contribution:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  std::int64_t id = 0;
  const auto* begin = e.object.data() + kPrefix.size();
  const auto* end = e.object.data() + e.object.size();
  if (std::from_chars(begin, end, id).ptr != end) return false;
  return readable(c, reader_of(c, who), id);
}

bool may_read_file_entry(storage::Connection& c, const auth::Principal& who, const storage::JournalEntry& e) {
  constexpr std::string_view kPrefix = "file:";
  if (e.object.rfind(kPrefix, 0) != 0) return false;
  const auto sha = e.object.substr(kPrefix.size());
  // Only a version that had the file when the entry was written: else uploading the same
  // bytes later would show who read them first, and when (an oracle of others' files).
  const auto at = parse_rfc3339_ms(e.at);
  if (!at) return false;
  const auto r = reader_of(c, who);
  for (const auto& row : c.query("SELECT DISTINCT contribution_id FROM library_versions WHERE sha256 = ? AND added_at <= ?",
                                 {sha, *at}))   // journal times have millisecond precision
    if (readable(c, r, row.integer("contribution_id"))) return true;
  return false;
}

}  // namespace parley::library
