// The HTTP edge of the hotline: /api/v1/communications, /api/v1/attachments,
// /api/v1/forums/{forum}/hotline-policy, /api/v1/checks and /api/v1/check-schedules.
// Parses query parameters and bodies, calls HotlineService / CheckService, shapes
// responses.
#pragma once

#include "auth/routes.h"
#include "hotline/checks.h"
#include "hotline/hotline_service.h"
#include "http/router.h"

namespace parley::hotline {
void add_routes(http::Router& router, HotlineService& hotline, CheckService& checks, const auth::Guard& guard);
}
