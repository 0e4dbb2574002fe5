// Accept-Language at the directory's routes: the caller's languages, and a response
// marked with the language its names were chosen in. Stateless; thread-safe.
#pragma once

#include <string>

#include "directory/names.h"
#include "http/message.h"

namespace parley::directory {

// The caller's languages (Accept-Language, RFC 9110); a malformed header is a 400.
Languages accepted(const http::Request& req);

// `r` with Content-Language, and Vary so that a cache keeps one copy per Accept-Language.
http::Response localized(http::Response r, const std::string& language);

}  // namespace parley::directory
