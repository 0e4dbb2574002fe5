// The HTTP edge of the auth capability: the Guard every protected route goes through,
// the session routes (/api/v1/session) and self-service routes (/api/v1/me...).
// Guard is immutable after construction: thread-safe.
#pragma once

#include <functional>

#include "auth/auth_service.h"
#include "http/router.h"

namespace parley::auth {

inline constexpr const char* kSessionCookie = "parley_session";

class Guard {
 public:
  explicit Guard(AuthService& auth) : auth_(auth) {}
  using Handler = std::function<http::Response(http::Request&, const Principal&)>;

  // Wraps `h` so that it runs only for an authenticated principal: a Bearer API token,
  // or the session cookie plus, on state-changing methods, a matching X-CSRF-Token.
  http::Handler operator()(Handler h) const;
  // Resolves the principal or throws Problem 401 / 403. An account that must enrol a
  // second factor is refused (403 second-factor-enrolment-required) everything but
  // enrolling TOTP, re-authenticating and signing out.
  Principal authenticate(http::Request& req) const;

 private:
  Principal resolve(http::Request& req) const;
  AuthService& auth_;
};

void add_routes(http::Router& router, AuthService& auth, const Guard& guard);

}  // namespace parley::auth
