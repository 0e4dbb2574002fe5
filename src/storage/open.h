// Opens the database named by a URL: `sqlite:PATH` (relative or absolute) or
// `sqlite:///abs/path`, or a PostgreSQL URL (`postgresql://` or `postgres://`, libpq's
// connection URI: storage/postgres/postgres_database.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "storage/database.h"

namespace parley::storage {

// Throws std::invalid_argument for an unknown or unsupported scheme.
std::unique_ptr<Database> open_database(std::string_view url, std::size_t max_connections);

// The file an sqlite: URL names (may be ":memory:"); nullopt for another scheme.
std::optional<std::string> sqlite_path(std::string_view url);
// Whether the URL is PostgreSQL's (postgresql:// or postgres://).
bool is_postgresql_url(std::string_view url);

}  // namespace parley::storage
