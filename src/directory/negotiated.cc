#include "directory/negotiated.h"

#include "common/accept_language.h"

namespace parley::directory {

Languages accepted(const http::Request& req) { return parse_accept_language(req.header("accept-language")); }

http::Response localized(http::Response r, const std::string& language) {
  r.with_header("Content-Language", language);
  r.with_header("Vary", "Accept-Language");
  return r;
}

}  // namespace parley::directory
