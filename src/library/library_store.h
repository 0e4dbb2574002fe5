// The library's SQL (library/schema.cc): contributions and the pages of text that search
// reads. Static functions on a Connection, run inside the caller's transaction. The same
// SQL on SQLite and PostgreSQL except where search asks each engine's own index (FTS5 on
// SQLite; a tsvector expression index and pg_trgm on PostgreSQL): both answer the same
// query alike, since the words and spans they index come from library/search_text.h.
// Thread-safety: that of the Connection.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "library/access.h"
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
  std::optional<std::int64_t> superseded_by;
  std::string visibility = "public";
  std::string forum;   // submitted to: its secretariat reviews
  int tlp = 0;
  std::string workflow = "submitted";
  std::int64_t created_by = 0;
  std::int64_t created_at = 0;
};

struct VersionRow {
  std::int64_t id = 0;
  std::string lang;
  std::string translation;
  std::string sha256;
  std::string filename;
  std::string format;
  std::int64_t size = 0;
  std::string extraction;   // the file's: pending | done
  std::string flag;
  std::string detail;
  std::int64_t pages = 0;
  // Whether this version's pages are indexed. A version whose file was read already
  // (the same bytes stored for another contribution) waits for the background reader
  // like any other: its state says nothing of other contributions' files.
  bool indexed = false;
};

struct StoredContribution {
  ContributionRow row;
  std::vector<std::string> listed;
  std::vector<std::string> tags;
  std::vector<VersionRow> versions;
  std::string return_note;
  std::int64_t updated_at = 0;
  std::int64_t revision = 1;               // earlier revisions kept + 1
  std::vector<std::int64_t> supersedes;    // contributions whose superseded_by is this one
};

// An earlier revision of a contribution, as it was (LibraryService's snapshot).
struct RevisionRow {
  std::int64_t revision = 0;
  std::string snapshot;   // JSON
  std::int64_t replaced_by = 0;
  std::int64_t replaced_at = 0;
};

// What the access rule (library/access.h) asks of a stored contribution.
ContributionFacts facts_of(const StoredContribution& s);

// A file claimed for extraction (library_files.claimed_by).
struct ClaimedFile {
  std::string sha256;
  std::string content;   // the bytes
};

class LibraryStore {
 public:
  using C = storage::Connection;

  static std::optional<StoredContribution> contribution(C& c, std::int64_t id);
  // Several at once, in five queries whatever their number (a page of search results):
  // by id; an id that names none is absent.
  static std::map<std::int64_t, StoredContribution> contributions(C& c, const std::vector<std::int64_t>& ids);
  // How many published contributions each state submitted to `forum` between two days
  // (inclusive, YYYY-MM-DD) that `r` may read (access.h): the annual review's count.
  static std::map<std::string, std::int64_t> published_by_state(C& c, const Reader& r, const std::string& forum,
                                                               const std::string& from, const std::string& to);
  static void set_tags(C& c, std::int64_t id, const std::vector<std::string>& tags);
  static void set_workflow(C& c, std::int64_t id, const std::string& workflow, const std::string& note, std::int64_t now);

  // Stores a file's bytes once (by their SHA-256); false when it was there already.
  // (Its format is known once the extraction child has sniffed it.)
  static bool put_file(C& c, const std::string& sha256, const std::string& bytes, std::int64_t by, std::int64_t now);
  // Adds or replaces the contribution's version in `lang`; its id.
  static std::int64_t put_version(C& c, std::int64_t contribution_id, const std::string& lang,
                                  const std::string& translation, const std::string& sha256, const std::string& filename,
                                  std::int64_t by, std::int64_t now);
  static std::optional<std::string> file_bytes(C& c, std::int64_t contribution_id, const std::string& lang,
                                               std::string& filename, std::string& format);
  // The extracted text of a file, page by page (empty while pending or unreadable).
  static std::vector<std::string> file_text(C& c, const std::string& sha256);
  // One page of it (from 1); nullopt when there is no such page.
  static std::optional<std::string> file_page(C& c, const std::string& sha256, std::int64_t page);

  // Claims the oldest pending file that no one holds (or whose holder's claim ran out),
  // for `holder` until `until`; nullopt when there is none.
  // Files tried `max_attempts` times already are not claimed again.
  static std::optional<ClaimedFile> claim_pending(C& c, const std::string& holder, std::int64_t now, std::int64_t until,
                                                  std::int64_t max_attempts);
  // Records what extraction found, and indexes the text for every version using the file.
  static void finish_extraction(C& c, const std::string& sha256, const std::string& format,
                                const std::vector<std::string>& pages, const std::string& flag, const std::string& detail,
                                std::int64_t now);
  // Gives a claimed file back: its extraction failed and is tried again from `retry_at`.
  static void release_claim(C& c, const std::string& sha256, std::int64_t retry_at);
  static std::int64_t attempts(C& c, const std::string& sha256);

  static std::int64_t insert_contribution(C& c, const ContributionRow& r);
  // Writes the row's editable fields (not its state, forum, workflow or creation).
  static void update_contribution(C& c, const ContributionRow& r, std::int64_t now);
  static void save_revision(C& c, std::int64_t id, std::int64_t revision, const std::string& snapshot, std::int64_t by,
                            std::int64_t now);
  static std::vector<RevisionRow> revisions(C& c, std::int64_t id);
  // The bytes of a stored file (nullopt when there is none).
  static std::optional<std::string> stored_file(C& c, const std::string& sha256);
  // Indexes the pages of up to `max` versions whose file has been read but which are not
  // indexed yet; how many.
  static int index_waiting_versions(C& c, int max);
  static void set_listed_states(C& c, std::int64_t id, const std::vector<std::string>& states);

  // Replaces the indexed pages of a contribution's own words (version_id empty: title,
  // summary and issuing body, as page 0) or of one language version (its pages from 1).
  static void put_pages(C& c, std::int64_t contribution_id, std::optional<std::int64_t> version_id,
                        const std::vector<std::string>& pages);
  // Replaces page 0: the contribution's own words (title, summary and issuing body of `r`).
  static void put_own_words(C& c, std::int64_t contribution_id, const ContributionRow& r);
  // Indexes every contribution's own words and every indexed version's pages again, from
  // the contributions and the files' stored text (after a change to the analysis).
  static void reindex_all(C& c);

  // The query's filters (any of a field's values, every field: state, forum, kind, tag,
  // lang, year) as SQL over alias c, each clause starting " AND ", to follow the reader's
  // rule; their parameters are appended to `p`.
  static std::string filters_sql(const LibraryQuery& q, storage::Params& p);

  // The contributions every positive term matches (on any of their pages) and no
  // excluded term does, among those `where` admits (SQL over alias c, the contribution,
  // with `params`), newest first: at most `limit` after `offset`.
  static std::vector<std::int64_t> search(C& c, const LibraryQuery& q, const std::string& where,
                                          const storage::Params& params, std::int64_t limit, std::int64_t offset);
};

}  // namespace parley::library
