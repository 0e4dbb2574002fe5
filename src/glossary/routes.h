// The HTTP edge of the glossary: /api/v1/glossary/... (terms, definitions, comparison,
// export and import). Errors are RFC 9457 problems; what a caller may not read answers 404.
#pragma once

#include "auth/routes.h"
#include "glossary/glossary_service.h"
#include "http/router.h"

namespace parley::glossary {
void add_routes(http::Router& router, GlossaryService& glossary, const auth::Guard& guard);
}
