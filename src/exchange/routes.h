// The HTTP edges of the threat exchange:
//  * /api/v1/exchange/...: the console's and scripts' API (problem+json errors);
//  * /taxii2/...: a TAXII 2.1 server (discovery, an API root per forum, collections,
//    objects, manifest, versions, status), with TAXII's media types and error messages
//    (which also carry the RFC 9457 members), HTTP Basic (username and an API token)
//    or Bearer authentication.
#pragma once

#include "auth/routes.h"
#include "exchange/exchange_service.h"
#include "http/router.h"

namespace parley::exchange {
void add_routes(http::Router& router, ExchangeService& exchange, const auth::Guard& guard);
void add_taxii_routes(http::Router& router, ExchangeService& exchange, const auth::Guard& guard,
                      std::size_t max_content_length);
}
