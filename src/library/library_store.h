// The library's SQL (library/schema.cc): contributions and the pages of text that search
// reads. Static functions on a Connection, run inside the caller's transaction. The same
// SQL on SQLite and PostgreSQL except where search asks each engine's own index (FTS5 on
// SQLite; a tsvector expression index and pg_trgm on PostgreSQL): both answer the same
// query alike, since the words and spans they index come from library/search_text.h.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "library/search_text.h"
#include "storage/database.h"

namespace parley::library {

struct ContributionRow {
  std::int64_t id = 0;
  std::string state;
  std::string kind;
  std::string title;
  std::string summary;
  std::string issuing_body;
  std::optional<std::string> adopted_on, in_force_on;
  std::string submitted_on;
  std::string status = "in_force";
  std::string visibility = "public";
  std::string forum;   // submitted to: its secretariat reviews
  int tlp = 0;
  std::string workflow = "submitted";
  std::int64_t created_by = 0;
  std::int64_t created_at = 0;
};

class LibraryStore {
 public:
  using C = storage::Connection;

  static std::int64_t insert_contribution(C& c, const ContributionRow& r);
  static void set_listed_states(C& c, std::int64_t id, const std::vector<std::string>& states);

  // Replaces the indexed pages of a contribution's own words (version_id empty: title,
  // summary and issuing body, as page 0) or of one language version (its pages from 1).
  static void put_pages(C& c, std::int64_t contribution_id, std::optional<std::int64_t> version_id,
                        const std::vector<std::string>& pages);

  // The contributions every positive term matches (on any of their pages) and no
  // excluded term does, among those `where` admits (SQL over alias c, the contribution,
  // with `params`), newest first: at most `limit` after `offset`.
  static std::vector<std::int64_t> search(C& c, const LibraryQuery& q, const std::string& where,
                                          const storage::Params& params, std::int64_t limit, std::int64_t offset);
};

}  // namespace parley::library
