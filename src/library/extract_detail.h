// Internal to the extractors (library/extract.h): what extract.cc needs of the readers
// that keep Poppler's and libzip's headers to themselves.
#pragma once

#include <optional>
#include <string_view>

#include "library/extract.h"

namespace parley::library::detail {

// DOCX or ODT, by the entries of the zip; nullopt for another zip or none.
std::optional<FileFormat> zip_format(std::string_view bytes);

// Routes Poppler's error messages away from stderr (extract_pdf.cc).
void init_pdf();

}  // namespace parley::library::detail
