// LibraryService: states' contributions to the library (national laws, strategies,
// policies, views, reports), from submission to publication, their language versions
// and files, and search over them (library/access.h says who reads what; search_text.h
// how texts and queries are cut).
//
//  * A state's focal point submits its state's contribution to one of its forums (the
//    forum's secretariat may submit one on a member state's behalf); the secretariat
//    publishes it or returns it with a note.
//  * A language version is a file (PDF, DOCX, ODT, HTML or text) stored once by its
//    SHA-256. Its text is read later, by extract_pending() in a child process
//    (library/extract_process.h): never on a request thread, never in this process.
//    A file that cannot be read is kept and says why.
//  * Every change is journaled in its transaction; events carry references only.
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/time_source.h"
#include "library/access.h"
#include "library/extract_process.h"
#include "library/library_store.h"
#include "library/model.h"
#include "mail/outbox.h"
#include "storage/database.h"

namespace parley::library {

struct LibraryConfig {
  std::size_t max_file_bytes = 32u << 20;
  ExtractProcessOptions extraction;
  mail::MailConfig mail;   // the weekly digest; disabled: no digest
};

class LibraryService {
 public:
  LibraryService(storage::Database& db, EventSink& events, TimeSource& time, LibraryConfig config = {});

  nlohmann::json submit(const auth::Principal& who, const ContributionInput& in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  // Contributions `who` may read that match `q` (library/search_text.h), newest first.
  nlohmann::json search(const auth::Principal& who, const std::string& q, std::int64_t limit, std::int64_t offset);
  nlohmann::json publish(const auth::Principal& who, std::int64_t id);
  nlohmann::json send_back(const auth::Principal& who, std::int64_t id, const std::string& note);
  // Changes what `patch` names (the fields of a submission, state and forum excepted),
  // keeping what it was as a revision. The state's own changes to a returned or
  // published contribution send it back to review (resubmission).
  nlohmann::json edit(const auth::Principal& who, std::int64_t id, const nlohmann::json& patch);
  // The contribution's earlier revisions, oldest first, as they were.
  nlohmann::json revisions(const auth::Principal& who, std::int64_t id);

  // Throws the Problem that add_version would answer before reading its file: the
  // language tag or translation refused, the contribution not readable (404), or not
  // `who`'s to change (403). Asked on an upload's headers, before its body is spooled.
  void check_version(const auth::Principal& who, std::int64_t id, const std::string& lang, const std::string& translation);
  // Adds (or replaces) the contribution's version in `lang` with this file.
  nlohmann::json add_version(const auth::Principal& who, std::int64_t id, const std::string& lang,
                             const std::string& translation, const std::string& filename, const std::string& bytes);
  struct Download {
    std::string bytes;
    std::string media_type;
    std::string filename;
  };
  Download file(const auth::Principal& who, std::int64_t id, const std::string& lang);
  // One page of a language version's extracted text (pages from 1), to read the versions
  // side by side: {lang, page, pages, text}.
  nlohmann::json text(const auth::Principal& who, std::int64_t id, const std::string& lang, std::int64_t page);
  // A language version's file as it was in an earlier revision.
  Download revision_file(const auth::Principal& who, std::int64_t id, std::int64_t revision, const std::string& lang);

  // The audience of a library event on any instance of a cluster (common/events.h).
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);

  // Reads the text of files waiting for it, one child process each, at most `max`;
  // returns how many were read. `holder` names this instance in the files' claims.
  int extract_pending(const std::string& holder, int max);

  // The weekly digest: to each user who has not turned it off, once a week, the
  // contributions published since the last one that the user may read (the library's
  // access rule); none, no mail. Returns the mails queued (mail/outbox.h).
  int send_digests();
  // Called after digests were queued (the mail worker is woken).
  void on_mail(std::function<void()> f) { on_mail_ = std::move(f); }
  nlohmann::json digest_setting(const auth::Principal& who);
  nlohmann::json set_digest(const auth::Principal& who, bool weekly);

  std::size_t max_file_bytes() const { return config_.max_file_bytes; }

 private:
  StoredContribution load_readable(storage::Connection& c, const Reader& r, std::int64_t id);
  // `linked`: the contributions that `s` links to (supersession), when loaded already.
  nlohmann::json render(storage::Connection& c, const StoredContribution& s, const Reader& r,
                        const std::map<std::int64_t, StoredContribution>* linked = nullptr);
  // The contribution as it is, for its revisions and its journal entry.
  static nlohmann::json snapshot(const StoredContribution& s);
  void announce(const std::string& type, const StoredContribution& s, std::vector<std::string> forum_members);

  storage::Database& db_;
  EventSink& events_;
  TimeSource& time_;
  LibraryConfig config_;
  std::function<void()> on_mail_;
};

}  // namespace parley::library
