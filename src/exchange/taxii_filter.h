// TAXII 2.1's query parameters (section 3.4): added_after, limit, next and the
// match[id|type|version|spec_version] filters of the objects, manifest, object and
// versions endpoints, read into an ObjectFilter. Kept apart from taxii_routes.cc so that
// it can be tested (and fuzzed: fuzz/taxii_filter.cc) without a database or a server.
// Pure function of the request: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "exchange/model.h"
#include "http/message.h"

namespace parley::exchange {

// The filter a TAXII request asks for. `known` are the parameters its endpoint accepts;
// any other parameter, and every malformed value, is named in one 400 Problem.
ObjectFilter taxii_filter(const http::Request& req, std::vector<std::string> known);

}  // namespace parley::exchange
