// The HTTP edge of the library: /api/v1/library/... (contributions: submit, read,
// search, publish, return; their language versions' files). Errors are RFC 9457
// problems; what a caller may not read answers 404.
#pragma once

#include "auth/routes.h"
#include "http/router.h"
#include "library/library_service.h"

namespace parley::library {
void add_routes(http::Router& router, LibraryService& library, const auth::Guard& guard);
}
