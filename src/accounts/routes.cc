#include "accounts/routes.h"

#include "common/accept_language.h"
#include "common/text.h"
#include "common/time.h"

namespace parley::accounts {

using auth::Principal;
using auth::Role;
using http::Request;
using http::Response;

namespace {

std::optional<Role> role_field(JsonInput& in, bool required) {
  auto v = in.text("role", required, 20);
  if (!v) return std::nullopt;
  auto r = auth::parse_role(*v);
  if (!r) in.error("role", "must be admin, secretariat, focal_point, poc or observer");
  return r;
}

nlohmann::json invited_json(const Invited& r) {
  nlohmann::json out = {{"invitation", r.invitation}, {"mailed", r.mailed}};
  out["nomination"] = r.nomination;
  out["link"] = r.link.empty() ? nlohmann::json() : nlohmann::json(r.link);
  return out;
}

std::string secret_field(JsonInput& in) {
  auto s = in.text("secret", true, 128, 1);
  if (s && s->find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") != std::string::npos)
    in.error("secret", "is not an invitation secret");
  return s.value_or("");
}

std::string session_cookie(const std::string& value, std::int64_t max_age, bool secure) {
  return std::string(auth::kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}

}  // namespace

void add_routes(http::Router& router, InvitationService& invitations, AccountService& accounts,
                auth::AuthService& auth, const auth::Guard& guard) {
  router.add("POST", "/api/v1/invitations", guard([&invitations](Request& req, const Principal& who) {
    auto in = req.json();
    InvitationInput i;
    auto email = in.text("email", true, 254, 1);
    if (email && !is_email(*email)) in.error("email", "is not an e-mail address");
    auto role = role_field(in, true);
    auto state = in.text("state", false, 3);
    if (state) {
      *state = to_upper(*state);
      if (!is_alpha3(*state)) in.error("state", "must be an ISO 3166-1 alpha-3 code such as AUT");
    }
    auto forum = in.text("forum", false, 32, 1);
    i.contact_id = in.integer("contact_id", false, 1, INT64_MAX);
    if (const auto* k = in.raw("contact")) {
      if (!k->is_object()) {
        in.error("contact", "must be an object with the new contact's details");
      } else {
        auto details = *k;
        details["state"] = state.value_or("");
        JsonInput nested(details, "contact");
        try {
          // parse() throws its own 422; its errors join this body's, so that all are told at once.
          i.new_contact = directory::ContactInput::parse(nested, false);
        } catch (const Problem& p) {
          if (p.status() != 422) throw;
          for (const auto& e : p.errors()) in.error(e.field, e.reason);
          i.new_contact = directory::ContactInput{};
        }
      }
    }
    if (i.contact_id && i.new_contact) in.error("contact", "give contact_id or contact, not both");
    in.finish();
    i.email = *email;
    i.role = *role;
    i.state = state.value_or("");
    i.forum = forum ? to_upper(*forum) : "";
    const auto r = invitations.invite(who, i, false);
    return Response::json(invited_json(r), r.invitation.is_null() ? 202 : 201);
  }));

  router.add("GET", "/api/v1/invitations", guard([&invitations](Request& req, const Principal& who) {
    req.refuse_unknown_params({"status"});
    const auto status = req.query_param("status").value_or("open");
    if (status != "open" && status != "all")
      throw Problem::bad_request("status must be open or all.", {{"status", "must be open or all"}});
    return Response::json({{"items", invitations.list(who, status == "open")}});
  }));

  router.add("DELETE", "/api/v1/invitations/{id}", guard([&invitations](Request& req, const Principal& who) {
    invitations.revoke(who, req.id_param("id"));
    return Response::no_content();
  }));

  router.add("POST", "/api/v1/invitations/{id}/resend", guard([&invitations](Request& req, const Principal& who) {
    return Response::json(invited_json(invitations.resend(who, req.id_param("id"))));
  }));

  // Unauthenticated: the invitee holds only the link. Throttled per address.
  router.add("POST", "/api/v1/invitations/lookup", [&invitations](Request& req) {
    auto in = req.json();
    const auto secret = secret_field(in);
    in.finish();
    return Response::json(invitations.lookup(secret, req.remote, parse_accept_language(req.header("accept-language"))));
  });

  router.add("POST", "/api/v1/invitations/accept", [&invitations, &auth](Request& req) {
    auto in = req.json();
    const auto secret = secret_field(in);
    auto username = in.text("username", true, 64);
    auto display = in.text("display_name", true, 200, 1);
    auto password = in.text("password", true, 256);
    in.finish();
    const auto a = invitations.accept(secret, *username, *display, *password, req.remote);
    auto s = auth.sign_in(a.username, a.password, std::nullopt, req.remote);
    req.user = s.user.username;
    const auto max_age = s.expires_at - unix_seconds(Clock::now());
    return Response::json({{"csrf_token", s.csrf_token},
                           {"user", s.user.to_json()},
                           {"expires_at", to_rfc3339(Clock::from_time_t(s.expires_at))}},
                          201)
        .with_header("Set-Cookie", session_cookie(s.session_token, max_age, auth.config().cookie_secure));
  });

  router.add("GET", "/api/v1/accounts", guard([&accounts](Request& req, const Principal& who) {
    req.refuse_unknown_params({});
    return Response::json({{"items", accounts.list(who)}});
  }));

  router.add("GET", "/api/v1/accounts/{id}", guard([&accounts](Request& req, const Principal& who) {
    return Response::json(accounts.get(who, req.id_param("id")));
  }));

  router.add("PATCH", "/api/v1/accounts/{id}", guard([&accounts](Request& req, const Principal& who) {
    const auto id = req.id_param("id");
    auto in = req.json();
    AccountPatch p;
    p.role = role_field(in, false);
    if (in.has("state")) {
      auto s = in.text("state", false, 3);
      p.state = s ? to_upper(*s) : "";
      if (!p.state->empty() && !is_alpha3(*p.state)) in.error("state", "must be an ISO 3166-1 alpha-3 code");
    }
    if (in.has("forum")) {
      auto f = in.text("forum", false, 32);
      p.forum = f ? to_upper(*f) : "";
    }
    p.disabled = in.boolean("disabled", false);
    in.finish();
    return Response::json(accounts.update(who, id, p));
  }));

  router.add("DELETE", "/api/v1/accounts/{id}/totp", guard([&accounts](Request& req, const Principal& who) {
    accounts.reset_second_factor(who, req.id_param("id"));
    return Response::no_content();
  }));

  router.add("GET", "/api/v1/forums/{forum}/account-policy", guard([&accounts](Request& req, const Principal& who) {
    return Response::json(accounts.policy(who, to_upper(req.param("forum"))));
  }));

  router.add("PUT", "/api/v1/forums/{forum}/account-policy", guard([&accounts](Request& req, const Principal& who) {
    auto in = req.json();
    auto totp = in.boolean("totp_for_everyone", true);
    in.finish();
    return Response::json(accounts.set_policy(who, to_upper(req.param("forum")), *totp));
  }));
}

}  // namespace parley::accounts
