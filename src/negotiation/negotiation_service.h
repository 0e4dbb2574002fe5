// NegotiationService: a forum's negotiated documents, from zero draft to adoption.
//
//  * A document has revisions: 0 (the symbol itself), then Rev.1, Rev.2, ... Each is
//    the whole compilation text (text.h). The latest revision is the working text until
//    the secretariat circulates it; a circulated revision never changes (the database
//    refuses it too). The first proposal after a circulation opens the next revision.
//  * Proposals, positions, comments and withdrawals come from a member state's focal
//    point or points of contact, for their own state; the secretariat records them on
//    behalf of a member state (comments sent by note verbale), resolves proposals
//    (accepted / rejected) and marks paragraphs agreed ad ref.
//  * Circulating a revision numbers its note verbale by the forum's scheme, writes it
//    in the forum's languages and notifies the member states' points of contact through
//    the hotline (and the event stream).
//  * A silence procedure runs until its deadline; any member state may break it. A
//    document is adopted from a circulated revision without open brackets, and its
//    final clean text is kept.
//  * Distribution: a "member states only" document exists only for the forum's member
//    states' people, its secretariat and the admin (others get 404).
// Thread-safe: no state of its own beyond the references it holds.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "common/events.h"
#include "common/time_source.h"
#include "negotiation/model.h"
#include "negotiation/text.h"
#include "storage/database.h"

namespace parley::hotline {
class HotlineService;
}

namespace parley::negotiation {

// A revision's text and what the renderers need besides.
struct RevisionText {
  Document document;
  std::int64_t number = 0;
  bool circulated = false;
  std::optional<std::int64_t> circulated_at;
  Text text;
};

class NegotiationService {
 public:
  NegotiationService(storage::Database& db, EventSink& events, TimeSource& time, hotline::HotlineService* hotline);

  // Parses a compilation text without storing anything: errors, ambiguities, notices,
  // proposals by state (the console's import preview, `parley negotiate check`).
  static nlohmann::json check(const std::string& text);

  nlohmann::json list(const auth::Principal& who, const std::optional<std::string>& forum);
  nlohmann::json create(const auth::Principal& who, const DocumentInput& in);
  nlohmann::json get(const auth::Principal& who, std::int64_t id);
  nlohmann::json revision(const auth::Principal& who, std::int64_t id, std::int64_t number);
  RevisionText revision_text(const auth::Principal& who, std::int64_t id, std::int64_t number);
  // The secretariat replaces the working text with a compilation it edited by hand.
  nlohmann::json replace_text(const auth::Principal& who, std::int64_t id, std::int64_t number, const std::string& text,
                              bool confirm_ambiguities);

  nlohmann::json propose(const auth::Principal& who, std::int64_t id, const ProposalInput& in);
  nlohmann::json position(const auth::Principal& who, std::int64_t id, const std::string& proposal,
                          const std::optional<std::string>& state, const std::string& stance);
  nlohmann::json comment(const auth::Principal& who, std::int64_t id, const std::string& proposal,
                         const std::optional<std::string>& state, const std::string& text);
  nlohmann::json resolve(const auth::Principal& who, std::int64_t id, const std::string& proposal,
                         const std::string& outcome);
  nlohmann::json ad_ref(const auth::Principal& who, std::int64_t id, const std::string& paragraph, bool agreed);

  nlohmann::json circulate(const auth::Principal& who, std::int64_t id);
  nlohmann::json diff(const auth::Principal& who, std::int64_t id, std::int64_t from, std::int64_t to);

  nlohmann::json start_silence(const auth::Principal& who, std::int64_t id, std::int64_t deadline_ms);
  nlohmann::json break_silence(const auth::Principal& who, std::int64_t id, const std::string& reason);
  nlohmann::json adopt(const auth::Principal& who, std::int64_t id);
  nlohmann::json withdraw(const auth::Principal& who, std::int64_t id);

  nlohmann::json note_scheme(const auth::Principal& who, const std::string& forum);
  nlohmann::json set_note_scheme(const auth::Principal& who, const std::string& forum, const std::string& pattern,
                                 std::int64_t next_number);

  // The stream audience of a "negotiation.document" event, from its data (Event::audience_args).
  static std::function<bool(const Subscriber&)> audience_from(const nlohmann::json& args);

 private:
  void announce(const std::string& type, const Document& d, nlohmann::json data);
  void notify(const auth::Principal& who, const Document& d, const std::string& subject, const std::string& body,
              std::int64_t revision, std::optional<std::int64_t>* communication_id = nullptr);

  storage::Database& db_;
  EventSink& events_;
  TimeSource& time_;
  hotline::HotlineService* hotline_;
};

}  // namespace parley::negotiation
