#include "negotiation/negotiation_service.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>

#include "common/json_values.h"
#include "common/log_line.h"
#include "common/problem.h"
#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "directory/membership.h"
#include "hotline/hotline_service.h"
#include "negotiation/diff.h"
#include "negotiation/edit.h"
#include "negotiation/ledger_rule.h"
#include "negotiation/negotiation_store.h"
#include "negotiation/notation.h"
#include "negotiation/note_verbale.h"
#include "negotiation/notes.h"
#include "storage/journal.h"
#include "storage/ledger_refs.h"

namespace parley::negotiation {

using auth::Principal;
using auth::Role;
using nlohmann::json;
using storage::Connection;

namespace {

std::string date_of(std::int64_t ms) { return rfc3339_from_ms(ms).substr(0, 10); }

json findings_json(const std::vector<Finding>& fs) {
  auto out = json::array();
  for (const auto& f : fs) out.push_back({{"line", f.line}, {"column", f.column}, {"message", f.message}});
  return out;
}

std::vector<FieldError> findings_as_errors(const std::string& field, const std::vector<Finding>& fs) {
  std::vector<FieldError> out;
  for (const auto& f : fs) out.push_back({field, fmt::format("line {}, column {}: {}", f.line, f.column, f.message)});
  return out;
}

bool manages(const Principal& who, const Document& d) {
  return who.is(Role::kAdmin) || (who.is(Role::kSecretariat) && who.forum == d.forum);
}

bool member_person(Connection& c, const Principal& who, const Document& d) {
  return (who.is(Role::kFocalPoint) || who.is(Role::kPointOfContact)) && !who.state.empty() &&
         store::is_member(c, d.forum, who.state);
}

bool can_read(Connection& c, const Principal& who, const Document& d) {
  if (d.distribution == "general") return true;
  return manages(who, d) || member_person(c, who, d);
}

Document readable(Connection& c, const Principal& who, std::int64_t id) {
  auto d = store::document(c, id);
  // A document the caller may not see does not exist for it.
  if (!d || !can_read(c, who, *d)) throw Problem::not_found(fmt::format("There is no document {}.", id));
  return *d;
}

void require_manager(const Principal& who, const Document& d, std::string_view action) {
  if (!manages(who, d))
    throw Problem::forbidden(fmt::format("Only the {} secretariat may {}.", d.forum, action));
}

void require_open(const Document& d) {
  if (d.closed())
    throw Problem::conflict(fmt::format("{} is {}; it no longer changes.", d.symbol, d.status == "adopted" ? "adopted" : "withdrawn"),
                            {{"document", "is " + d.status}});
}

// The state a person acts for: their own (focal point, point of contact of a member
// state), or the one a secretariat names on its behalf.
std::string acting_state(Connection& c, const Principal& who, const Document& d, const std::optional<std::string>& named,
                         std::string_view action) {
  if (who.is(Role::kFocalPoint) || who.is(Role::kPointOfContact)) {
    if (named && *named != who.state)
      throw Problem::forbidden(fmt::format("You {} for {} only.", action, who.state.empty() ? "your state" : who.state));
    if (!store::is_member(c, d.forum, who.state))
      throw Problem::forbidden(fmt::format("{} is not a member state of {}.", who.state, d.forum));
    return who.state;
  }
  if (manages(who, d)) {
    if (!named)
      throw Problem::invalid("state", fmt::format("is required: the secretariat records this on behalf of a member state"));
    if (!store::is_member(c, d.forum, *named))
      throw Problem::invalid("state", fmt::format("{} is not a member state of {}", *named, d.forum));
    return *named;
  }
  throw Problem::forbidden(fmt::format("Only member states' focal points and points of contact {}.", action));
}

std::string next_id(Document& d) { return fmt::format("P{}", d.next_id++); }

// The highest number used by the ids of a parsed text ("p12", "P7", "P7a").
std::int64_t highest_id(const Text& t) {
  std::int64_t top = 0;
  const auto see = [&top](const std::string& id) {
    if (id.size() > 1) top = std::max<std::int64_t>(top, std::atoll(id.c_str() + 1));
  };
  std::function<void(const std::vector<Node>&)> walk = [&](const std::vector<Node>& ns) {
    for (const auto& n : ns)
      if (n.bracket) {
        see(n.id);
        walk(n.children);
      }
  };
  for (const auto& p : t.paragraphs) {
    see(p.id);
    see(p.proposal_id);
    walk(p.content);
  }
  return top;
}

void stamp(Text& t, const Document& d, std::int64_t number) {
  t.symbol = d.label(number);
  t.title = d.title;
  t.distribution = d.distribution_text();
}

// The working revision: the latest if it is not circulated yet, else a new one.
RevisionRow working(Connection& c, const Document& d, std::int64_t now) {
  auto last = store::latest(c, d.id);
  if (!last) throw std::runtime_error("document without revisions");
  if (!last->circulated_at) return *last;
  RevisionRow next;
  next.document_id = d.id;
  next.number = last->number + 1;
  next.text = last->text;
  next.text.date.clear();
  stamp(next.text, d, next.number);
  next.updated_at = now;
  store::insert_revision(c, next);
  return next;
}

// The number of the latest circulated revision, if any.
std::optional<std::int64_t> latest_circulated(Connection& c, std::int64_t id) {
  std::optional<std::int64_t> latest;
  for (const auto& r : store::revisions(c, id))
    if (r.circulated_at) latest = r.number;
  return latest;
}

void check_target_revision(Connection& c, const Document& d, const std::optional<std::int64_t>& target) {
  if (!target) return;
  auto r = store::revision(c, d.id, *target);
  if (!r) throw Problem::invalid("revision", fmt::format("{} has no revision {}", d.symbol, *target));
  if (r->circulated_at)
    throw Problem::conflict(fmt::format("{} was circulated on {} and cannot change; proposals go to the working text.",
                                        d.label(*target), date_of(*r->circulated_at)),
                            {{"revision", "is circulated, hence immutable"}});
}

json document_json(Connection& c, const Principal& who, const Document& d, std::int64_t now) {
  auto revs = json::array();
  std::optional<std::int64_t> working_number, latest_circulated;
  for (const auto& r : store::revisions(c, d.id)) {
    revs.push_back({{"number", r.number},
                    {"label", d.label(r.number)},
                    {"circulated", r.circulated_at.has_value()},
                    {"circulated_at", json_time(r.circulated_at)},
                    {"note_number", r.note_number.empty() ? json(nullptr) : json(r.note_number)},
                    {"communication_id", r.communication_id ? json(*r.communication_id) : json(nullptr)}});
    if (r.circulated_at) latest_circulated = r.number;
    else working_number = r.number;
  }
  json j = {{"id", d.id},
            {"forum", d.forum},
            {"symbol", d.symbol},
            {"title", d.title},
            {"distribution", d.distribution},
            {"languages", d.languages},
            {"status", d.status},
            {"created_by", d.created_by},
            {"created_at", rfc3339_from_ms(d.created_at)},
            {"updated_at", rfc3339_from_ms(d.updated_at)},
            {"adopted_at", json_time(d.adopted_at)},
            {"revisions", revs},
            {"working_revision", working_number ? json(*working_number) : json(nullptr)},
            {"latest_circulated", latest_circulated ? json(*latest_circulated) : json(nullptr)}};
  if (d.status == "adopted") j["final_text"] = d.final_text;
  auto silence = store::last_silence(c, d.id);
  j["silence"] = silence ? silence->to_json(now) : json(nullptr);
  const bool member = member_person(c, who, d);
  j["can"] = {{"manage", manages(who, d)},
              {"propose", !d.closed() && (member || manages(who, d))},
              {"break_silence", member && silence && silence->status(now) == "running"}};
  j["state"] = member ? json(who.state) : json(nullptr);
  return j;
}

json proposals_json(const Text& t, const std::vector<CommentRow>& comments) {
  const auto labels = paragraph_labels(t);
  std::map<std::string, json> by_proposal;
  for (const auto& c : comments)
    by_proposal[c.proposal].push_back({{"id", c.id},
                                       {"state", c.state.empty() ? json(nullptr) : json(c.state)},
                                       {"author", c.author},
                                       {"text", c.body},
                                       {"at", rfc3339_from_ms(c.created_at)}});
  auto out = json::array();
  for (const auto& p : proposals(t)) {
    const auto& para = t.paragraphs[p.paragraph];
    json j = {{"id", p.id},
              {"kind", p.kind},
              {"state", p.state},
              {"supporters", p.supporters},
              {"opposers", p.opposers},
              {"paragraph", para.id},
              {"paragraph_label", labels[p.paragraph].empty() ? fmt::format("PP{}", p.paragraph + 1) : labels[p.paragraph]},
              {"text", p.text},
              {"depth", p.depth},
              {"by", p.by.empty() ? json(nullptr) : json(p.by)},
              {"at", p.at ? json(rfc3339_from_ms(p.at)) : json(nullptr)},
              {"comments", by_proposal.count(p.id) ? by_proposal[p.id] : json::array()}};
    if (p.kind == "replace") {
      j["replacement"] = p.replacement;
      j["insert_id"] = p.insert_id;
    }
    out.push_back(std::move(j));
  }
  return out;
}

json counts_json(const Text& t) {
  const auto counts = count_brackets(t);
  json per_state = json::object();
  for (const auto& [s, n] : counts.per_state) per_state[s] = n;
  return {{"total", counts.total}, {"per_paragraph", counts.per_paragraph}, {"per_state", per_state}};
}

void journal(Connection& c, const Principal& who, const std::string& action, const Document& d, json change) {
  change["symbol"] = d.symbol;
  const auto e = storage::Journal::append(c, who.actor(), action, fmt::format("negotiation:document:{}", d.id), change);
  // Finer record keys (storage/ledger_refs.h): a proposal's whole story (made, positions,
  // comments, outcome) under proposal:DOC:PID, a circulated revision under revision:DOC:N.
  if (const auto p = change.find("proposal"); p != change.end() && !p->is_null())
    storage::ledger_refs::add(c, fmt::format("proposal:{}:{}", d.id, p->is_string() ? p->get<std::string>() : p->dump()),
                              e.seq);
  if (action == "negotiation.revision.circulated")
    storage::ledger_refs::add(c, fmt::format("revision:{}:{}", d.id, change.at("revision").dump()), e.seq);
}

ParseResult parse_for(Connection& c, const std::string& forum, const std::string& text) {
  return parse_compilation(text, [&c, &forum](std::string_view code) { return store::is_member(c, forum, std::string(code)); });
}

void refuse_bad_text(const ParseResult& r, bool confirm) {
  if (!r.ok()) {
    auto e = Problem::invalid(findings_as_errors("text", r.errors));
    throw e;
  }
  if (!r.ambiguities.empty() && !confirm)
    throw Problem(422, "ambiguous-text", "The text needs a person's confirmation",
                  "The parser had to decide some things; check them and send again with confirm_ambiguities: true.",
                  findings_as_errors("text", r.ambiguities));
}

}  // namespace

bool document_readable(Connection& c, const Principal& who, std::int64_t id) {
  const auto d = store::document(c, id);
  return d && can_read(c, who, *d);
}

std::optional<notes::DocumentRef> notes::readable_document(Connection& c, const Principal& who, std::int64_t id) {
  const auto d = store::document(c, id);
  if (!d || !can_read(c, who, *d)) return std::nullopt;
  return DocumentRef{d->id, d->forum, d->symbol, d->title, d->status};
}

std::vector<notes::SilenceDeadline> notes::running_silences(Connection& c, const Principal& who, const std::string& forum,
                                                            std::int64_t now_ms) {
  std::vector<SilenceDeadline> out;
  for (const auto& d : store::documents(c, forum)) {
    if (!can_read(c, who, d)) continue;
    const auto s = store::last_silence(c, d.id);
    if (s && s->status(now_ms) == "running") out.push_back({d.id, d.symbol, d.title, s->started_at, s->deadline});
  }
  return out;
}

NegotiationService::NegotiationService(storage::Database& db, EventSink& events, TimeSource& time,
                                       hotline::HotlineService* hotline)
    : db_(db), events_(events), time_(time), hotline_(hotline) {}

json NegotiationService::check(const std::string& text) {
  const auto r = parse_compilation(text, [](std::string_view) { return true; });
  json j = {{"ok", r.ok()},
            {"errors", findings_json(r.errors)},
            {"ambiguities", findings_json(r.ambiguities)},
            {"notices", findings_json(r.notices)},
            {"omitted", r.omitted}};   // findings past the first 100 of a kind
  if (r.ok()) {
    j["paragraphs"] = r.text.paragraphs.size();
    j["brackets"] = counts_json(r.text);
    j["proposals"] = proposals_json(r.text, {});
    j["compilation"] = render_compilation(r.text);
  }
  return j;
}

json NegotiationService::list(const Principal& who, const std::optional<std::string>& forum) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) {
    auto items = json::array();
    for (const auto& d : store::documents(c, forum)) {
      if (!can_read(c, who, d)) continue;
      auto j = document_json(c, who, d, now);
      j.erase("final_text");
      items.push_back(std::move(j));
    }
    return json{{"items", items}};
  });
}

json NegotiationService::create(const Principal& who, const DocumentInput& in) {
  const auto now = time_.now_ms();
  if (!(who.is(Role::kAdmin) || (who.is(Role::kSecretariat) && who.forum == in.forum)))
    throw Problem::forbidden(fmt::format("Only the {} secretariat may open a negotiation.", in.forum));
  auto id = db_.write([&](Connection& c) {
    auto forum = store::forum(c, in.forum);
    if (!forum) throw Problem::invalid("forum", fmt::format("there is no forum {}", in.forum));
    const auto r = parse_for(c, in.forum, in.text);
    refuse_bad_text(r, in.confirm_ambiguities);
    if (r.text.paragraphs.empty()) throw Problem::invalid("text", "has no paragraph");
    Document d;
    d.forum = in.forum;
    d.symbol = in.symbol;
    d.title = in.title;
    d.distribution = in.distribution;
    d.languages = in.languages.empty() ? forum->second : in.languages;
    if (d.languages.empty()) d.languages = {"en"};
    d.status = in.status;
    d.next_id = highest_id(r.text) + 1;
    d.created_by = who.username;
    d.created_at = d.updated_at = now;
    if (!c.query("SELECT 1 AS one FROM neg_documents WHERE symbol = ?", {d.symbol}).empty())
      throw Problem::conflict(fmt::format("A document {} exists already.", d.symbol), {{"symbol", "is taken"}});
    d.id = store::insert_document(c, d);
    RevisionRow rev;
    rev.document_id = d.id;
    rev.number = 0;
    rev.text = r.text;
    rev.text.date.clear();
    stamp(rev.text, d, 0);
    rev.updated_at = now;
    store::insert_revision(c, rev);
    journal(c, who, "negotiation.document.created", d,
            {{"forum", d.forum}, {"title", d.title}, {"distribution", d.distribution}, {"paragraphs", r.text.paragraphs.size()}});
    return d.id;
  });
  auto out = get(who, id);
  announce("negotiation.document.created", db_.read([&](Connection& c) { return *store::document(c, id); }), {});
  return out;
}

json NegotiationService::get(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  return db_.read([&](Connection& c) { return document_json(c, who, readable(c, who, id), now); });
}

RevisionText NegotiationService::revision_text(const Principal& who, std::int64_t id, std::int64_t number) {
  return db_.read([&](Connection& c) {
    RevisionText out;
    out.document = readable(c, who, id);
    auto r = store::revision(c, id, number);
    if (!r) throw Problem::not_found(fmt::format("{} has no revision {}.", out.document.symbol, number));
    out.number = number;
    out.circulated = r->circulated_at.has_value();
    out.circulated_at = r->circulated_at;
    out.text = std::move(r->text);
    return out;
  });
}

json NegotiationService::revision(const Principal& who, std::int64_t id, std::int64_t number) {
  return db_.read([&](Connection& c) {
    const auto d = readable(c, who, id);
    auto r = store::revision(c, id, number);
    if (!r) throw Problem::not_found(fmt::format("{} has no revision {}.", d.symbol, number));
    const auto labels = paragraph_labels(r->text);
    const auto counts = count_brackets(r->text);
    auto paragraphs = json::array();
    for (std::size_t i = 0; i < r->text.paragraphs.size(); ++i) {
      const auto& p = r->text.paragraphs[i];
      paragraphs.push_back({{"id", p.id},
                            {"label", labels[i]},
                            {"part", p.part == Part::kPreamble ? "preamble" : "operative"},
                            {"open_brackets", counts.per_paragraph[i]},
                            {"agreed_ad_ref", p.agreed_ad_ref}});
    }
    return json{{"document", id},
                {"number", number},
                {"label", d.label(number)},
                {"circulated", r->circulated_at.has_value()},
                {"circulated_at", json_time(r->circulated_at)},
                {"circulated_by", r->circulated_by.empty() ? json(nullptr) : json(r->circulated_by)},
                {"note_number", r->note_number.empty() ? json(nullptr) : json(r->note_number)},
                {"notes", r->notes},
                {"text", r->text.to_json()},
                {"paragraphs", paragraphs},
                {"proposals", proposals_json(r->text, store::comments(c, id))},
                {"brackets", counts_json(r->text)},
                {"compilation", render_compilation(r->text)},
                {"clean", render_clean(r->text)}};
  });
}

json NegotiationService::replace_text(const Principal& who, std::int64_t id, std::int64_t number, const std::string& text,
                                      bool confirm) {
  const auto now = time_.now_ms();
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_manager(who, d, "edit the working text");
    require_open(d);
    check_target_revision(c, d, number);
    auto r = store::revision(c, id, number);
    auto parsed = parse_for(c, d.forum, text);
    refuse_bad_text(parsed, confirm);
    // What the text still holds keeps its ids (comments, the diff); the rest is new.
    carry_ids(parsed.text, r->text, d.next_id);
    r->text = parsed.text;
    stamp(r->text, d, number);
    r->updated_at = now;
    store::update_body(c, *r);
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.text.replaced", d, {{"revision", number}, {"paragraphs", parsed.text.paragraphs.size()}});
  });
  return revision(who, id, number);
}

json NegotiationService::propose(const Principal& who, std::int64_t id, const ProposalInput& in) {
  const auto now = time_.now_ms();
  std::string pid;
  std::int64_t number = 0;
  Document doc;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_open(d);
    const auto state = acting_state(c, who, d, in.state, "propose");
    check_target_revision(c, d, in.revision);
    auto r = working(c, d, now);
    const Author author{state, who.username, now};
    const auto new_id = next_id(d);
    if (in.kind == "insert" || in.kind == "delete" || in.kind == "replace") {
      SpanProposal sp{in.kind, in.paragraph, in.text, in.after, in.replacement, in.occurrence};
      pid = propose_span(r.text, sp, author, new_id);
    } else if (in.kind == "add_paragraph") {
      pid = propose_paragraph(r.text, in.after_paragraph, in.part == "preamble" ? Part::kPreamble : Part::kOperative,
                              in.text, author, new_id);
    } else if (in.kind == "delete_paragraph") {
      pid = propose_paragraph_deletion(r.text, in.paragraph, author, new_id);
    } else {
      pid = propose_alternative(r.text, in.paragraph, in.text, author, new_id);
    }
    r.updated_at = now;
    store::update_body(c, r);
    d.updated_at = now;
    store::update_document(c, d);
    if (!in.comment.empty()) store::add_comment(c, id, {0, pid, state, who.username, in.comment, now});
    journal(c, who, "negotiation.proposal.made", d,
            {{"revision", r.number}, {"proposal", pid}, {"kind", in.kind}, {"state", state}});
    number = r.number;
    doc = d;
  });
  announce("negotiation.proposal.made", doc, {{"revision", number}, {"proposal", pid}});
  auto out = revision(who, id, number);
  out["proposal"] = pid;
  return out;
}

json NegotiationService::position(const Principal& who, std::int64_t id, const std::string& proposal,
                                  const std::optional<std::string>& named, const std::string& stance) {
  if (stance != "support" && stance != "oppose" && stance != "none")
    throw Problem::invalid("stance", "must be support, oppose or none");
  const auto now = time_.now_ms();
  std::int64_t number = 0;
  Document doc;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_open(d);
    const auto state = acting_state(c, who, d, named, "take positions");
    auto r = working(c, d, now);
    set_position(r.text, proposal, state,
                 stance == "none" ? std::nullopt : std::optional<bool>(stance == "support"));
    r.updated_at = now;
    store::update_body(c, r);
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.position.taken", d,
            {{"revision", r.number}, {"proposal", proposal}, {"state", state}, {"stance", stance}});
    number = r.number;
    doc = d;
  });
  announce("negotiation.position.taken", doc, {{"revision", number}, {"proposal", proposal}});
  return revision(who, id, number);
}

json NegotiationService::comment(const Principal& who, std::int64_t id, const std::string& proposal,
                                 const std::optional<std::string>& named, const std::string& text) {
  const auto now = time_.now_ms();
  std::int64_t number = 0;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_open(d);
    std::string state;
    if (!(manages(who, d) && !named)) state = acting_state(c, who, d, named, "comment");
    auto r = store::latest(c, id);
    proposer_of(r->text, proposal);   // 404 unless the proposal is open in the latest text
    store::add_comment(c, id, {0, proposal, state, who.username, text, now});
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.comment.added", d, {{"proposal", proposal}, {"state", state}});
    number = r->number;
  });
  return revision(who, id, number);
}

json NegotiationService::resolve(const Principal& who, std::int64_t id, const std::string& proposal,
                                 const std::string& outcome) {
  if (outcome != "accepted" && outcome != "rejected" && outcome != "withdrawn")
    throw Problem::invalid("outcome", "must be accepted, rejected or withdrawn");
  const auto now = time_.now_ms();
  std::int64_t number = 0;
  Document doc;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_open(d);
    auto r = working(c, d, now);
    const auto proposer = proposer_of(r.text, proposal);
    if (outcome == "withdrawn") {
      const auto state = acting_state(c, who, d, manages(who, d) ? std::optional<std::string>(proposer) : std::nullopt,
                                      "withdraw proposals");
      if (state != proposer)
        throw Problem::forbidden(fmt::format("Only {} may withdraw its proposal {}.", proposer, proposal));
    } else {
      require_manager(who, d, "accept or reject proposals");
    }
    negotiation::resolve(r.text, proposal, outcome == "accepted");
    r.updated_at = now;
    store::update_body(c, r);
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.proposal." + outcome, d, {{"revision", r.number}, {"proposal", proposal}, {"state", proposer}});
    number = r.number;
    doc = d;
  });
  announce("negotiation.proposal." + outcome, doc, {{"revision", number}, {"proposal", proposal}});
  return revision(who, id, number);
}

json NegotiationService::ad_ref(const Principal& who, std::int64_t id, const std::string& paragraph, bool agreed) {
  const auto now = time_.now_ms();
  std::int64_t number = 0;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_open(d);
    require_manager(who, d, "mark paragraphs agreed ad ref");
    auto r = working(c, d, now);
    agree_ad_ref(r.text, paragraph, agreed);
    r.updated_at = now;
    store::update_body(c, r);
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, agreed ? "negotiation.paragraph.agreed" : "negotiation.paragraph.reopened", d,
            {{"revision", r.number}, {"paragraph", paragraph}});
    number = r.number;
  });
  return revision(who, id, number);
}

json NegotiationService::circulate(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  RevisionRow circulated;
  Document doc;
  db_.write([&](Connection& c) {
    // Read-then-write twice (the revision's state, the forum's next note number): the
    // lock keeps two instances from circulating one revision or numbering two notes alike.
    c.lock("negotiation.circulate");
    auto d = readable(c, who, id);
    require_manager(who, d, "circulate revisions");
    require_open(d);
    auto r = store::latest(c, id);
    if (r->circulated_at)
      throw Problem::conflict(fmt::format("{} was circulated on {} and nothing has changed since.", d.label(r->number),
                                          date_of(*r->circulated_at)));
    r->note_number = notes::take_number(c, d.forum, now);
    const auto forum = store::forum(c, d.forum);
    stamp(r->text, d, r->number);
    r->text.date = long_date(date_of(now), "en");
    NoteFacts facts{r->note_number, d.forum, forum ? forum->first : d.forum, {}, d.title, d.label(r->number), date_of(now),
                    r->number > 0};
    facts.forum_names = store::forum_names(c, d.forum);
    std::vector<std::string> missing;
    auto notes = compose_notes(facts, d.languages, missing);
    r->notes = json(notes);
    r->circulated_at = now;
    r->circulated_by = who.username;
    r->updated_at = now;
    store::mark_circulated(c, *r);
    if (r->number > 0) d.status = "revised_draft";
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.revision.circulated", d,
            {{"revision", r->number}, {"label", d.label(r->number)}, {"note_number", r->note_number},
             {"languages_without_template", missing}});
    circulated = *r;
    doc = d;
  });
  std::optional<std::int64_t> comm;
  const auto& notes = circulated.notes;
  const std::string english = notes.contains("en") ? notes["en"].get<std::string>() : notes.begin()->get<std::string>();
  notify(who, doc, fmt::format("Note verbale {}: {} ({})", circulated.note_number, doc.title, doc.label(circulated.number)),
         english, circulated.number, &comm);
  if (comm) db_.write([&](Connection& c) { store::set_communication(c, id, circulated.number, *comm); });
  announce("negotiation.revision.circulated", doc, {{"revision", circulated.number}});
  auto out = revision(who, id, circulated.number);
  out["communication_id"] = comm ? json(*comm) : json(nullptr);
  return out;
}

json NegotiationService::diff(const Principal& who, std::int64_t id, std::int64_t from, std::int64_t to) {
  return db_.read([&](Connection& c) {
    const auto d = readable(c, who, id);
    auto a = store::revision(c, id, from);
    auto b = store::revision(c, id, to);
    if (!a) throw Problem::invalid("from", fmt::format("{} has no revision {}", d.symbol, from));
    if (!b) throw Problem::invalid("to", fmt::format("{} has no revision {}", d.symbol, to));
    auto j = diff_texts(a->text, b->text).to_json();
    j["from"] = {{"number", from}, {"label", d.label(from)}};
    j["to"] = {{"number", to}, {"label", d.label(to)}};
    return j;
  });
}

json NegotiationService::start_silence(const Principal& who, std::int64_t id, std::int64_t deadline) {
  const auto now = time_.now_ms();
  Document doc;
  std::int64_t revision_number = 0;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_manager(who, d, "run a silence procedure");
    require_open(d);
    if (const auto problem = silence_deadline_problem(deadline, now)) throw Problem::invalid("deadline", *problem);
    const auto latest = latest_circulated(c, id);
    if (!latest)
      throw Problem::conflict("A silence procedure runs on a circulated text; circulate it first.");
    auto last = store::last_silence(c, id);
    if (last && last->status(now) == "running")
      throw Problem::conflict(fmt::format("A silence procedure is already running until {}.", rfc3339_from_ms(last->deadline)));
    SilenceRow s;
    s.revision = *latest;
    s.started_by = who.username;
    s.started_at = now;
    s.deadline = deadline;
    store::insert_silence(c, id, s);
    journal(c, who, "negotiation.silence.started", d, {{"revision", *latest}, {"deadline", rfc3339_from_ms(deadline)}});
    doc = d;
    revision_number = *latest;
  });
  notify(who, doc,
         fmt::format("Silence procedure: {} ({}) until {}", doc.title, doc.label(revision_number), rfc3339_from_ms(deadline)),
         fmt::format("The Secretariat places {} ({}) under a silence procedure. Unless a Member State breaks silence "
                     "through Parley before {} (UTC), the text will be considered adopted.",
                     doc.title, doc.label(revision_number), rfc3339_from_ms(deadline)),
         revision_number);
  announce("negotiation.silence.started", doc, {{"revision", revision_number}});
  return get(who, id);
}

json NegotiationService::break_silence(const Principal& who, std::int64_t id, const std::string& reason) {
  const auto now = time_.now_ms();
  Document doc;
  SilenceRow broken;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    if (!member_person(c, who, d))
      throw Problem::forbidden("Only a member state's focal point or point of contact may break silence.");
    auto s = store::last_silence(c, id);
    if (!s) throw Problem::conflict("No silence procedure has been started on this document.");
    const auto st = s->status(now);
    if (st == "broken")
      throw Problem::conflict(fmt::format("Silence was already broken by {} at {}.", s->broken_state, rfc3339_from_ms(*s->broken_at)));
    if (st == "held")
      throw Problem::conflict(fmt::format("The silence procedure ended at {} without being broken.", rfc3339_from_ms(s->deadline)));
    s->broken_state = who.state;
    s->broken_by = who.username;
    s->broken_at = now;
    s->reason = reason;
    store::break_silence(c, *s);
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.silence.broken", d, {{"revision", s->revision}, {"state", who.state}, {"reason", reason}});
    doc = d;
    broken = *s;
  });
  notify(who, doc, fmt::format("{} breaks silence on {} ({})", who.state, doc.title, doc.label(broken.revision)),
         fmt::format("{} breaks silence on {} ({}): {}", who.state, doc.title, doc.label(broken.revision), reason),
         broken.revision);
  announce("negotiation.silence.broken", doc, {{"revision", broken.revision}, {"state", who.state}});
  return get(who, id);
}

json NegotiationService::adopt(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  Document doc;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_manager(who, d, "adopt documents");
    require_open(d);
    const auto revs = store::revisions(c, id);
    const auto latest = latest_circulated(c, id);
    if (!latest) throw Problem::conflict("Only a circulated text is adopted; circulate it first.");
    if (revs.back().number != *latest) {
      const auto working = store::revision(c, id, revs.back().number);
      const auto last = store::revision(c, id, *latest);
      if (!working->text.same_as(last->text) || render_compilation(working->text) != render_compilation(last->text))
        throw Problem::conflict(fmt::format("{} has changes that were never circulated.", d.label(revs.back().number)),
                                {{"revision", "has uncirculated changes"}});
    }
    auto s = store::last_silence(c, id);
    if (s && s->revision == *latest && s->status(now) == "running")
      throw Problem::conflict(fmt::format("The silence procedure runs until {}.", rfc3339_from_ms(s->deadline)));
    if (s && s->revision == *latest && s->status(now) == "broken")
      throw Problem::conflict(fmt::format("{} broke silence on {}; there is no consensus on this text.", s->broken_state,
                                          d.label(*latest)));
    auto r = store::revision(c, id, *latest);
    const auto counts = count_brackets(r->text);
    if (counts.total > 0) {
      std::vector<FieldError> errors;
      const auto labels = paragraph_labels(r->text);
      for (std::size_t i = 0; i < counts.per_paragraph.size(); ++i)
        if (counts.per_paragraph[i])
          errors.push_back({"paragraphs." + r->text.paragraphs[i].id,
                            fmt::format("paragraph {} has {} open bracket{}",
                                        labels[i].empty() ? fmt::format("PP{}", i + 1) : labels[i],
                                        counts.per_paragraph[i], counts.per_paragraph[i] == 1 ? "" : "s")});
      throw Problem::conflict(fmt::format("{} still has {} open brackets.", d.label(*latest), counts.total), errors);
    }
    Text final_text = r->text;
    final_text.title = d.title;
    d.final_text = render_clean(final_text);
    d.status = "adopted";
    d.adopted_at = now;
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.document.adopted", d,
            {{"revision", *latest}, {"final_text_sha256", crypto::sha256_hex(d.final_text)}, {"silence", s ? s->status(now) : "none"}});
    doc = d;
  });
  announce("negotiation.document.adopted", doc, {});
  return get(who, id);
}

json NegotiationService::withdraw(const Principal& who, std::int64_t id) {
  const auto now = time_.now_ms();
  Document doc;
  db_.write([&](Connection& c) {
    auto d = readable(c, who, id);
    require_manager(who, d, "withdraw documents");
    require_open(d);
    d.status = "withdrawn";
    d.updated_at = now;
    store::update_document(c, d);
    journal(c, who, "negotiation.document.withdrawn", d, {});
    doc = d;
  });
  announce("negotiation.document.withdrawn", doc, {});
  return get(who, id);
}

json NegotiationService::note_scheme(const Principal& who, const std::string& forum) {
  if (!(who.is(Role::kAdmin) || (who.is(Role::kSecretariat) && who.forum == forum)))
    throw Problem::forbidden(fmt::format("Only the {} secretariat may see its note verbale numbering.", forum));
  return db_.read([&](Connection& c) {
    if (!store::forum(c, forum)) throw Problem::not_found(fmt::format("There is no forum {}.", forum));
    auto [pattern, next] = store::note_scheme(c, forum);
    return json{{"forum", forum}, {"pattern", pattern}, {"next_number", next},
                {"example", note_number(pattern, next, forum, std::stoi(date_of(time_.now_ms()).substr(0, 4)))}};
  });
}

json NegotiationService::set_note_scheme(const Principal& who, const std::string& forum, const std::string& pattern,
                                         std::int64_t next_number) {
  if (!(who.is(Role::kAdmin) || (who.is(Role::kSecretariat) && who.forum == forum)))
    throw Problem::forbidden(fmt::format("Only the {} secretariat may set its note verbale numbering.", forum));
  if (pattern.find("{n}") == std::string::npos) throw Problem::invalid("pattern", "must contain {n}, the number");
  db_.write([&](Connection& c) {
    if (!store::forum(c, forum)) throw Problem::not_found(fmt::format("There is no forum {}.", forum));
    store::set_note_scheme(c, forum, pattern, next_number);
    storage::Journal::append(c, who.actor(), "negotiation.note_scheme.set", "forum:" + forum,
                             {{"pattern", pattern}, {"next_number", next_number}});
  });
  return note_scheme(who, forum);
}

void NegotiationService::announce(const std::string& type, const Document& d, json data) {
  std::set<std::string> members;
  if (d.distribution != "general")
    db_.read([&](Connection& c) {
      for (auto& s : directory::membership::member_states(c, d.forum)) members.insert(std::move(s));
    });
  data["document"] = d.id;
  data["forum"] = d.forum;
  Event e;
  e.type = type;
  e.data = std::move(data);
  const auto forum = d.forum;
  const bool general = d.distribution == "general";
  e.audience_kind = "negotiation.document";
  e.audience_args = {{"members", members}, {"forum", forum}, {"general", general}};
  e.audience = audience_from(e.audience_args);
  events_.publish(e);
}

std::function<bool(const Subscriber&)> NegotiationService::audience_from(const nlohmann::json& args) {
  const auto members = args.at("members").get<std::set<std::string>>();
  const auto forum = args.at("forum").get<std::string>();
  const bool general = args.at("general").get<bool>();
  return [members, forum, general](const Subscriber& s) {
    if (general || s.role == "admin") return true;
    if (s.role == "secretariat") return s.forum == forum;
    return (s.role == "focal_point" || s.role == "poc") && members.count(s.state) > 0;
  };
}

void NegotiationService::notify(const Principal& who, const Document& d, const std::string& subject,
                                const std::string& body, std::int64_t revision,
                                std::optional<std::int64_t>* communication_id) {
  const auto sent = notes::deliver(hotline_, who, d.forum, subject,
                                   body + fmt::format("\n\nRead it in Parley: /#/negotiation/{}/{}", d.id, revision),
                                   d.distribution == "general" ? "TLP:CLEAR" : "TLP:GREEN");
  if (communication_id) *communication_id = sent;
}

}  // namespace parley::negotiation
