#include "negotiation/notes.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "common/log_line.h"
#include "common/text.h"
#include "common/time.h"
#include "directory/membership.h"
#include "hotline/hotline_service.h"
#include "negotiation/negotiation_store.h"

namespace parley::negotiation::notes {

std::string take_number(storage::Connection& c, const std::string& forum, std::int64_t now_ms) {
  c.lock("negotiation.circulate");
  auto [pattern, next] = store::note_scheme(c, forum);
  const auto year = std::stoi(rfc3339_from_ms(now_ms).substr(0, 4));
  store::set_note_scheme(c, forum, pattern, next + 1);
  return note_number(pattern, next, forum, year);
}

ForumFacts forum_facts(storage::Connection& c, const std::string& forum) {
  ForumFacts f;
  f.code = forum;
  f.name = forum;
  if (const auto row = directory::membership::forum(c, forum)) {
    f.name = row->name;
    const auto langs = nlohmann::json::parse(row->languages, nullptr, false);
    if (langs.is_array())
      for (const auto& l : langs)
        if (l.is_string()) f.languages.push_back(l.get<std::string>());
  }
  if (f.languages.empty()) f.languages = {"en"};
  f.names = store::forum_names(c, forum);
  return f;
}

std::optional<std::int64_t> deliver(hotline::HotlineService* hotline, const auth::Principal& who, const std::string& forum,
                                    const std::string& subject, const std::string& body, const std::string& tlp) {
  if (!hotline) return std::nullopt;
  auth::Principal sender = who;
  if (who.is(auth::Role::kAdmin)) {   // the hotline speaks for a forum through its secretariat
    sender.role = auth::Role::kSecretariat;
    sender.forum = forum;
  }
  // A note verbale on the hotline, not an incident notification: its own type, no
  // severity, to every kind of point of contact of the member states.
  hotline::CommunicationInput in;
  in.type = "note_verbale";
  in.contact_kind = "all";
  in.recipients = {forum};
  in.forum = forum;
  in.subject = subject.size() > 200 ? utf8_prefix(subject, 197) + "..." : subject;
  in.description = body;
  in.severity = 0;
  in.tlp = tlp;
  in.language = "en";
  try {
    auto sent = hotline->send(sender, in);
    if (sent.contains("id")) return sent["id"].get<std::int64_t>();
  } catch (const std::exception& e) {
    // The change itself is committed; a note that cannot go is logged, and the event
    // stream still carries the news.
    spdlog::warn("{}", log_line({{"event", "note_verbale_not_sent"}, {"forum", forum}, {"subject", in.subject}, {"reason", e.what()}}));
  }
  return std::nullopt;
}

}  // namespace parley::negotiation::notes
