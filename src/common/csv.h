// CSV cells (RFC 4180) for exports people open in spreadsheets: quoted when needed, and
// a cell that a spreadsheet would evaluate as a formula (= + - @ tab CR) neutralised
// with a leading apostrophe. Pure function: thread-safe.
#pragma once

#include <string>

namespace parley {
std::string csv_field(std::string value);
}
