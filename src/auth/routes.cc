#include "auth/routes.h"

#include "common/text.h"
#include "common/time.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace parley::auth {

using http::Request;
using http::Response;

Principal Guard::resolve(Request& req) const {
  const auto authz = req.header("authorization");
  if (!authz.empty()) {
    const auto scheme = to_lower(authz.substr(0, 6));
    if (scheme == "basic ") {
      // HTTP Basic (RFC 7617) for TAXII clients and other machines: the username and
      // one of that user's API tokens as the password. (Not the account password:
      // that would bypass the second factor and cost an argon2id hash per request.)
      std::string decoded;
      try {
        decoded = crypto::from_base64(trim(authz.substr(6)));
      } catch (const std::invalid_argument&) {
        throw Problem::unauthenticated("The Basic credentials are not base64.");
      }
      const auto colon = decoded.find(':');
      if (colon == std::string::npos) throw Problem::unauthenticated("Basic credentials are username:API token.");
      auto who = auth_.from_api_token(decoded.substr(colon + 1));
      if (!who || who->username != decoded.substr(0, colon))
        throw Problem::unauthenticated("Unknown username, or the password is not a valid API token of that user.");
      req.user = who->username;
      return *who;
    }
    // "Token <API token>" is what taxii2-client's TokenAuth (and OpenCTI) send.
    const auto lower = to_lower(authz.substr(0, 7));
    const bool bearer = lower == "bearer ", token = lower.starts_with("token ");
    if (!bearer && !token)
      throw Problem::unauthenticated("Use 'Authorization: Bearer <API token>' or Basic with an API token as the password.");
    auto who = auth_.from_api_token(trim(authz.substr(bearer ? 7 : 6)));
    if (!who) throw Problem::unauthenticated("The API token is not valid, expired or revoked.");
    req.user = who->username;
    return *who;
  }
  const auto cookie = req.cookie(kSessionCookie);
  if (!cookie) throw Problem::unauthenticated();
  auto who = auth_.from_session(*cookie);
  if (!who) throw Problem::unauthenticated("Your session has ended; sign in again.");
  req.user = who->username;
  if (!req.is_safe_method()) {
    const auto csrf = req.header("x-csrf-token");
    if (csrf.empty() || !crypto::equal_constant_time(csrf, AuthService::csrf_for(*cookie)))
      throw Problem(403, "csrf", "Missing or wrong CSRF token",
                    "Send the csrf_token returned at sign-in in the X-CSRF-Token header.",
                    {{"X-CSRF-Token", csrf.empty() ? "is required" : "does not match the session"}});
  }
  return *who;
}

namespace {
// What an account that must enrol a second factor may still do: enrol it (proving the
// password again if the session is no longer recent) and sign out.
bool allowed_before_enrolment(const Request& req) {
  if (req.method == "DELETE") return req.path == "/api/v1/session";
  if (req.method != "POST") return false;
  return req.path == "/api/v1/me/totp" || req.path == "/api/v1/me/totp/confirm" ||
         req.path == "/api/v1/session/reauthenticate";
}
}  // namespace

Principal Guard::authenticate(Request& req) const {
  auto who = resolve(req);
  if (who.must_enrol_totp && !allowed_before_enrolment(req))
    throw Problem(403, "second-factor-enrolment-required", "Enrol a second factor first",
                  "This account must enrol an authenticator (TOTP) before anything else: POST /api/v1/me/totp, "
                  "then POST /api/v1/me/totp/confirm with a code.");
  return who;
}

http::Handler Guard::operator()(Handler h) const {
  return [this, h = std::move(h)](Request& req) {
    const Principal who = authenticate(req);
    return h(req, who);
  };
}

namespace {

std::string session_cookie(const std::string& value, std::int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age) + (secure ? "; Secure" : "");
}


}  // namespace

void add_routes(http::Router& router, AuthService& auth, const Guard& guard) {
  router.add("POST", "/api/v1/session", [&auth](Request& req) {
    auto in = req.json();
    auto username = in.text("username", true, 64);
    auto password = in.text("password", true, 256);
    auto totp = in.text("totp", false, 6);
    in.finish();
    auto s = auth.sign_in(*username, *password, totp, req.remote);
    req.user = s.user.username;
    const auto max_age = s.expires_at - unix_seconds(Clock::now());
    return Response::json({{"csrf_token", s.csrf_token},
                           {"user", s.user.to_json()},
                           {"expires_at", to_rfc3339(Clock::from_time_t(s.expires_at))}},
                          201)
        .with_header("Set-Cookie", session_cookie(s.session_token, max_age, auth.config().cookie_secure));
  });

  router.add("GET", "/api/v1/session", [&auth](Request& req) {
    const auto cookie = req.cookie(kSessionCookie);
    auto who = cookie ? auth.from_session(*cookie) : std::nullopt;
    if (!who) throw Problem::unauthenticated("No active session.");
    req.user = who->username;
    return Response::json({{"csrf_token", AuthService::csrf_for(*cookie)}, {"user", auth.user(who->user_id).to_json()}});
  });

  router.add("DELETE", "/api/v1/session", guard([&auth](Request& req, const Principal&) {
    if (auto cookie = req.cookie(kSessionCookie)) auth.sign_out(*cookie);
    return Response::no_content().with_header("Set-Cookie", session_cookie("", 0, auth.config().cookie_secure));
  }));

  // Proves the password (and TOTP) again, for the credential changes that need a
  // recent sign-in (AuthService::require_recent_sign_in).
  router.add("POST", "/api/v1/session/reauthenticate", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto password = in.text("password", true, 256);
    auto totp = in.text("totp", false, 6);
    in.finish();
    const auto at = auth.reauthenticate(who, *password, totp, req.remote);
    return Response::json({{"verified_at", to_rfc3339(Clock::from_time_t(at))}});
  }));

  router.add("GET", "/api/v1/me", guard([&auth](Request&, const Principal& who) {
    return Response::json(auth.user(who.user_id).to_json());
  }));

  router.add("PATCH", "/api/v1/me", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto current = auth.user(who.user_id);
    auto name = in.text("display_name", false, 200, 1);
    auto email = in.text("email", false, 254);
    if (email && !email->empty() && !is_email(*email)) in.error("email", "is not an e-mail address");
    in.finish();
    auto u = auth.update_profile(who, name.value_or(current.display_name),
                                 in.is_null("email") ? "" : email.value_or(current.email));
    return Response::json(u.to_json());
  }));

  // The console's language for the caller: {"language": "ru"}, or null to follow the
  // browser's. Only the caller's own account: there is no user in the path.
  router.add("PUT", "/api/v1/me/language", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto language = in.text("language", !in.is_null("language"), 35, 1);
    in.finish();
    return Response::json(auth.set_language(who, language.value_or("")).to_json());
  }));

  router.add("POST", "/api/v1/me/password", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto current = in.text("current_password", true, 256);
    auto next = in.text("new_password", true, 256);
    in.finish();
    auth.change_password(who, *current, *next, req.remote);
    return Response::no_content();
  }));

  router.add("GET", "/api/v1/me/tokens", guard([&auth](Request&, const Principal& who) {
    return Response::json({{"items", auth.list_tokens(who)}});
  }));

  router.add("POST", "/api/v1/me/tokens", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto name = in.text("name", true, 100);
    auto days = in.integer("expires_in_days", false, 1, 3650);
    in.finish();
    return Response::json(auth.create_token(who, *name, days ? std::optional<int>(static_cast<int>(*days)) : std::nullopt), 201);
  }));

  router.add("DELETE", "/api/v1/me/tokens/{id}", guard([&auth](Request& req, const Principal& who) {
    auth.revoke_token(who, req.id_param("id"));
    return Response::no_content();
  }));

  router.add("POST", "/api/v1/me/totp", guard([&auth](Request&, const Principal& who) {
    return Response::json(auth.totp_begin(who), 201);
  }));

  router.add("POST", "/api/v1/me/totp/confirm", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto code = in.text("code", true, 6, 6);
    in.finish();
    auth.totp_confirm(who, *code);
    return Response::no_content();
  }));

  router.add("DELETE", "/api/v1/me/totp", guard([&auth](Request& req, const Principal& who) {
    auto in = req.json();
    auto password = in.text("password", true, 256);
    in.finish();
    auth.totp_disable(who, *password, req.remote);
    return Response::no_content();
  }));

  router.add("GET", "/api/v1/users", guard([&auth](Request&, const Principal& who) {
    require_role(who, {Role::kAdmin}, "list user accounts");
    auto items = nlohmann::json::array();
    for (const auto& u : auth.list_users()) items.push_back(u.to_json());
    return Response::json({{"items", items}});
  }));
}

}  // namespace parley::auth
