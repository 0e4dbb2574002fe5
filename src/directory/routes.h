// The HTTP edge of the directory: /api/v1/forums, /states, /agencies, /contacts.
// Parses query parameters and bodies, calls DirectoryService, shapes responses.
#pragma once

#include "auth/routes.h"
#include "directory/directory_service.h"
#include "http/router.h"

namespace parley::directory {
void add_routes(http::Router& router, DirectoryService& directory, const auth::Guard& guard);
}
