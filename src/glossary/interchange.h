// The glossary in the formats terminologists' tools read and write:
//  * TBX-Basic (ISO 30042:2019, TBX v3, DCA style, namespace urn:iso:std:iso:30042:ed-2):
//    a conceptEntry per term, a langSec per language with its terms (the term first,
//    then its equivalents), definitions in descripGrp (descrip type="definition", admin
//    type="source"), Parley's attribution in <note>parley:key=value</note> so that a
//    round trip keeps it; a definition in a language with no term sits at concept level.
//    Files from other tools: each definition's admin source becomes an organisation.
//  * CSV (common/csv.h): one row per term, equivalent, note or definition, grouped by a
//    `concept` key, with the columns kCsvColumns.
// Imported input is untrusted: bounded in size; XML with a DTD is refused (no entities,
// no external access, libxml2's depth limits); errors name the field "file".
// Pure functions: thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "glossary/model.h"

namespace parley::glossary {

inline constexpr const char* kTbxNamespace = "urn:iso:std:iso:30042:ed-2";
inline constexpr std::size_t kMaxImportBytes = 8u << 20;
inline const std::vector<std::string> kCsvColumns = {"concept", "type",         "lang",      "text",      "source",   "state",
                                                     "organisation", "agreed_on", "agreed_in", "reference", "contribution"};

std::string to_tbx(const std::vector<Term>& terms, const std::string& title);
std::vector<Term> from_tbx(std::string_view xml);
std::string to_csv(const std::vector<Term>& terms);
std::vector<Term> from_csv(std::string_view text);

}  // namespace parley::glossary
