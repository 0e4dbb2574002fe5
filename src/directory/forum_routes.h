// The HTTP edge of the directory's administration (directory/forum_admin.h):
// POST /api/v1/states, PATCH /api/v1/states/{alpha3}; POST /api/v1/forums,
// PATCH /api/v1/forums/{forum}; GET /api/v1/forums/{forum}/participants;
// PUT|DELETE /api/v1/forums/{forum}/members/{alpha3};
// GET /api/v1/forums/{forum}/groups, PUT|DELETE /api/v1/forums/{forum}/groups/{group}.
// Names follow Accept-Language as the directory's reads do.
#pragma once

#include "auth/routes.h"
#include "directory/directory_service.h"
#include "directory/forum_admin.h"
#include "http/router.h"

namespace parley::directory {
void add_forum_routes(http::Router& router, ForumAdmin& admin, DirectoryService& directory, const auth::Guard& guard);
}
