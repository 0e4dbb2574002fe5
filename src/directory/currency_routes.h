// The HTTP edge of keeping the directory current: reconfirmations
// (/api/v1/forums/{forum}/reconfirmations..., /api/v1/directory/reconfirmations/pending)
// and the CSV import (/api/v1/directory/import). Stateless: thread-safe.
#pragma once

#include "auth/routes.h"
#include "directory/csv_import.h"
#include "directory/reconfirmation.h"
#include "http/router.h"

namespace parley::directory {

void add_currency_routes(http::Router& router, ReconfirmationService& reconfirmations, ContactImporter& importer,
                         const auth::Guard& guard);

}  // namespace parley::directory
