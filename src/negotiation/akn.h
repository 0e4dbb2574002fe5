// Akoma Ntoso 3.0 export of a revision: the document as a <statement>, its paragraphs
// with their numbers, every bracket as <ins>/<del> (eId = the proposal) followed by its
// attributions as <inline name="attribution" refersTo="#isr">(+ISR)</inline>, each state
// a TLCOrganization in the references, and each proposal's positions in a proprietary
// block (namespace urn:parley:negotiation). Validates against akomantoso30.xsd.
// Pure function: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "negotiation/text.h"

namespace parley::negotiation {

struct AknDocument {
  Text text;
  std::string forum = "parley";     // FRBR author and country ("cica")
  std::string work_date;            // YYYY-MM-DD of the first circulation (or creation)
  std::string expression_date;      // YYYY-MM-DD of this revision
  std::string generated_date;       // YYYY-MM-DD
  std::string language = "eng";     // ISO 639-2
  std::string status;               // draft | revised_draft | adopted | ...
};

std::string render_akn(const AknDocument& d);

}  // namespace parley::negotiation
