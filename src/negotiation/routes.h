// The HTTP edge of negotiation: /api/v1/negotiation/... (documents, revisions and their
// renderings, proposals, positions, comments, circulation, diff, silence, adoption, the
// forums' note-verbale numbering). Errors are RFC 9457 problems.
#pragma once

#include "auth/routes.h"
#include "http/router.h"
#include "negotiation/negotiation_service.h"

namespace parley::negotiation {
void add_routes(http::Router& router, NegotiationService& negotiation, const auth::Guard& guard);
}
