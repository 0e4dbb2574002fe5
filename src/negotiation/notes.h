// negotiation::notes: the negotiation module's notes verbales as other capabilities use
// them (the work plan convenes meetings with one): the forum's numbering ("NCT/ICT/{n}",
// shared with circulated drafts, so a forum's notes keep one sequence), the forum's
// names and languages for composing, and delivery on the hotline to every point of
// contact of the forum's member states.
//
// take_number(), forum_facts() and readable_document() are free functions on the caller's Connection, run inside its
// write (number() takes the lock circulation takes for the same counter). deliver()
// runs after the commit, outside any transaction. Thread-safe as the Connection and the
// HotlineService are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "auth/principal.h"
#include "negotiation/note_verbale.h"
#include "storage/database.h"

namespace parley::hotline {
class HotlineService;
}

namespace parley::negotiation::notes {

// The forum's next note number, taken: the counter moves on within the caller's write.
std::string take_number(storage::Connection& c, const std::string& forum, std::int64_t now_ms);

// The forum's code, English name and names per language, for NoteFacts and the like.
struct ForumFacts {
  std::string code, name;
  std::map<std::string, std::pair<std::string, std::string>> names;
  std::vector<std::string> languages;   // the forum's working languages, English when none is set
};
ForumFacts forum_facts(storage::Connection& c, const std::string& forum);

// Sends a note verbale on the hotline (type note_verbale, to every kind of point of
// contact of the forum's member states); an admin speaks through the forum's
// secretariat. Returns the communication's id, or nullopt (logged) when it could not go:
// the change the note announces is committed already.
std::optional<std::int64_t> deliver(hotline::HotlineService* hotline, const auth::Principal& who, const std::string& forum,
                                    const std::string& subject, const std::string& body, const std::string& tlp);

// A document under negotiation as another capability may cite it (a meeting's agenda
// item): when `who` may read it, its forum, symbol, title and status; else nullopt.
struct DocumentRef {
  std::int64_t id = 0;
  std::string forum, symbol, title, status;
};
std::optional<DocumentRef> readable_document(storage::Connection& c, const auth::Principal& who, std::int64_t id);

// The forum's drafts `who` may read whose silence procedure is running at `now_ms`.
struct SilenceDeadline {
  std::int64_t document_id = 0;
  std::string symbol, title;
  std::int64_t started_at = 0, deadline = 0;
};
std::vector<SilenceDeadline> running_silences(storage::Connection& c, const auth::Principal& who, const std::string& forum,
                                              std::int64_t now_ms);

}  // namespace parley::negotiation::notes
