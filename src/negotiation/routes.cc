#include "negotiation/routes.h"

#include "common/text.h"
#include "common/time.h"
#include "negotiation/akn.h"
#include "negotiation/notation.h"

namespace parley::negotiation {

using auth::Principal;
using http::Request;
using http::Response;

namespace {

std::int64_t revision_param(const Request& req) {
  const auto& v = req.param("rev");
  if (v.empty() || v.size() > 6 || v.find_first_not_of("0123456789") != std::string::npos)
    throw Problem::bad_request("A revision is a number.", {{"rev", "must be a revision number (0, 1, 2, ...)"}});
  return std::stoll(v);
}

std::string language_code3(const std::string& lang) {
  if (lang == "ru") return "rus";
  if (lang == "kk") return "kaz";
  if (lang == "fr") return "fra";
  if (lang == "es") return "spa";
  if (lang == "zh") return "zho";
  if (lang == "ar") return "ara";
  return "eng";
}

// A revision in one of its renderings: ?format=json (default) | text | clean | markdown |
// html | akn, and ?state=KAZ (any alpha-3 code) for that state's view.
Response rendering(NegotiationService& negotiation, Request& req, const Principal& who) {
  req.refuse_unknown_params({"format", "state"});
  const auto id = req.id_param("id");
  const auto number = revision_param(req);
  const auto format = req.query_param("format").value_or("json");
  const auto state = req.query_param("state");
  if (format == "json" && !state) return Response::json(negotiation.revision(who, id, number));
  auto r = negotiation.revision_text(who, id, number);
  const auto filename = [&](const char* ext) {
    std::string name = r.document.label(number);
    for (auto& c : name)
      if (c == '/' || c == ' ') c = '_';
    // The symbol is the secretariat's text: it must not add a parameter (a quote ending
    // the name, then filename*=…) to the header.
    return http::content_disposition("inline", name + ext);
  };
  if (state) {
    const auto s = to_upper(*state);
    if (!is_alpha3(s)) throw Problem::bad_request("Name a state.", {{"state", "must be an ISO 3166-1 alpha-3 code"}});
    return Response::text(render_state_view(r.text, s), "text/plain; charset=utf-8");
  }
  if (format == "text") return Response::text(render_compilation(r.text), "text/plain; charset=utf-8");
  if (format == "clean") return Response::text(render_clean(r.text), "text/plain; charset=utf-8");
  if (format == "markdown")
    return Response::text(render_markdown(r.text), "text/markdown; charset=utf-8").with_header("Content-Disposition", filename(".md"));
  if (format == "html") {
    const auto lang = r.document.languages.empty() ? std::string("en") : r.document.languages.front();
    return Response::text(render_html(r.text, lang), "text/html; charset=utf-8");
  }
  if (format == "akn") {
    AknDocument d;
    d.text = r.text;
    d.forum = r.document.forum;
    d.work_date = rfc3339_from_ms(r.document.created_at).substr(0, 10);
    d.expression_date = rfc3339_from_ms(r.circulated_at.value_or(r.document.updated_at)).substr(0, 10);
    d.generated_date = today_date();
    d.language = language_code3(r.document.languages.empty() ? "en" : r.document.languages.front());
    d.status = r.document.status;
    return Response::text(render_akn(d), "application/akn+xml; charset=utf-8").with_header("Content-Disposition", filename(".xml"));
  }
  throw Problem::bad_request("Unknown format.", {{"format", "must be json, text, clean, markdown, html or akn"}});
}

std::optional<std::string> optional_state(JsonInput& in) {
  auto s = in.text("state", false, 3);
  if (s && !is_alpha3(to_upper(*s))) in.error("state", "must be an ISO 3166-1 alpha-3 code");
  if (s) return to_upper(*s);
  return std::nullopt;
}

}  // namespace

void add_routes(http::Router& router, NegotiationService& negotiation, const auth::Guard& guard) {
  const std::string base = "/api/v1/negotiation";
  router.add("POST", base + "/check", guard([](Request& req, const Principal&) {
    auto in = req.json();
    const auto text = in.text("text", true, 4 * 1024 * 1024).value_or("");
    in.finish();
    return Response::json(NegotiationService::check(text));
  }));
  router.add("GET", base + "/documents", guard([&negotiation](Request& req, const Principal& who) {
    req.refuse_unknown_params({"forum"});
    auto forum = req.query_param("forum");
    if (forum) forum = to_upper(trim(*forum));
    return Response::json(negotiation.list(who, forum));
  }));
  router.add("POST", base + "/documents", guard([&negotiation](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(negotiation.create(who, DocumentInput::parse(in)), 201);
  }));
  router.add("GET", base + "/documents/{id}", guard([&negotiation](Request& req, const Principal& who) {
    return Response::json(negotiation.get(who, req.id_param("id")));
  }));
  router.add("GET", base + "/documents/{id}/revisions/{rev}", guard([&negotiation](Request& req, const Principal& who) {
    return rendering(negotiation, req, who);
  }));
  router.add("PUT", base + "/documents/{id}/revisions/{rev}/text", guard([&negotiation](Request& req, const Principal& who) {
    auto in = req.json();
    const auto text = in.text("text", true, 4 * 1024 * 1024, 1).value_or("");
    const auto confirm = in.boolean("confirm_ambiguities", false).value_or(false);
    in.finish();
    return Response::json(negotiation.replace_text(who, req.id_param("id"), revision_param(req), text, confirm));
  }));
  router.add("POST", base + "/documents/{id}/proposals", guard([&negotiation](Request& req, const Principal& who) {
    auto in = req.json();
    return Response::json(negotiation.propose(who, req.id_param("id"), ProposalInput::parse(in)), 201);
  }));
  router.add("POST", base + "/documents/{id}/proposals/{proposal}/position",
             guard([&negotiation](Request& req, const Principal& who) {
               auto in = req.json();
               const auto stance = in.text("stance", true, 16).value_or("");
               const auto state = optional_state(in);
               in.finish();
               return Response::json(negotiation.position(who, req.id_param("id"), req.param("proposal"), state, stance));
             }));
  router.add("POST", base + "/documents/{id}/proposals/{proposal}/comments",
             guard([&negotiation](Request& req, const Principal& who) {
               auto in = req.json();
               const auto text = trim(in.text("text", true, 4000, 1).value_or(""));
               const auto state = optional_state(in);
               in.finish();
               return Response::json(negotiation.comment(who, req.id_param("id"), req.param("proposal"), state, text), 201);
             }));
  router.add("POST", base + "/documents/{id}/proposals/{proposal}/resolve",
             guard([&negotiation](Request& req, const Principal& who) {
               auto in = req.json();
               const auto outcome = in.text("outcome", true, 16).value_or("");
               in.finish();
               return Response::json(negotiation.resolve(who, req.id_param("id"), req.param("proposal"), outcome));
             }));
  router.add("POST", base + "/documents/{id}/paragraphs/{paragraph}/ad-ref",
             guard([&negotiation](Request& req, const Principal& who) {
               auto in = req.json();
               const auto agreed = in.boolean("agreed", true).value_or(true);
               in.finish();
               return Response::json(negotiation.ad_ref(who, req.id_param("id"), req.param("paragraph"), agreed));
             }));
  router.add("POST", base + "/documents/{id}/circulate", guard([&negotiation](Request& req, const Principal& who) {
    return Response::json(negotiation.circulate(who, req.id_param("id")));
  }));
  router.add("GET", base + "/documents/{id}/diff", guard([&negotiation](Request& req, const Principal& who) {
    req.refuse_unknown_params({"from", "to"});
    const auto from = req.int_query("from", -1, 0, 100000);
    const auto to = req.int_query("to", -1, 0, 100000);
    if (from < 0 || to < 0)
      throw Problem::bad_request("Name two revisions.", {{from < 0 ? "from" : "to", "is required"}});
    return Response::json(negotiation.diff(who, req.id_param("id"), from, to));
  }));
  router.add("POST", base + "/documents/{id}/silence", guard([&negotiation](Request& req, const Principal& who) {
    auto in = req.json();
    const auto deadline = in.text("deadline", true, 40).value_or("");
    in.finish();
    const auto ms = parse_rfc3339_ms(deadline);
    if (!ms) throw Problem::invalid("deadline", "must be an RFC 3339 time, e.g. 2026-12-01T12:00:00Z");
    return Response::json(negotiation.start_silence(who, req.id_param("id"), *ms), 201);
  }));
  router.add("POST", base + "/documents/{id}/silence/break", guard([&negotiation](Request& req, const Principal& who) {
    auto in = req.json();
    const auto reason = trim(in.text("reason", true, 2000, 1).value_or(""));
    in.finish();
    return Response::json(negotiation.break_silence(who, req.id_param("id"), reason));
  }));
  router.add("POST", base + "/documents/{id}/adopt", guard([&negotiation](Request& req, const Principal& who) {
    return Response::json(negotiation.adopt(who, req.id_param("id")));
  }));
  router.add("POST", base + "/documents/{id}/withdraw", guard([&negotiation](Request& req, const Principal& who) {
    return Response::json(negotiation.withdraw(who, req.id_param("id")));
  }));
  router.add("GET", base + "/forums/{forum}/note-scheme", guard([&negotiation](Request& req, const Principal& who) {
    return Response::json(negotiation.note_scheme(who, to_upper(req.param("forum"))));
  }));
  router.add("PUT", base + "/forums/{forum}/note-scheme", guard([&negotiation](Request& req, const Principal& who) {
    // Who may, before what: a body is not read for a caller who may not send one.
    auth::require_role(who, {auth::Role::kAdmin, auth::Role::kSecretariat}, "set a note verbale numbering");
    auto in = req.json();
    const auto pattern = trim(in.text("pattern", true, 80, 1).value_or(""));
    const auto next = in.integer("next_number", true, 1, 100000000).value_or(1);
    in.finish();
    return Response::json(negotiation.set_note_scheme(who, to_upper(req.param("forum")), pattern, next));
  }));
}

}  // namespace parley::negotiation
