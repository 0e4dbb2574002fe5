// Changes to a working text: proposals made by states (insert, delete or replace a span;
// add or delete a paragraph; an alternative paragraph), other states' positions on them,
// their resolution by the secretariat (accepted or rejected) or withdrawal by the
// proposer, and paragraphs agreed ad ref. Each function changes the Text it is given or
// throws Problem (422 naming the field, 404 for an unknown proposal or paragraph, 409
// when the text's state forbids the change) and leaves the Text unchanged.
// Pure functions over values: thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "negotiation/text.h"

namespace parley::negotiation {

// Who makes a change, and the id the new bracket gets.
struct Author {
  std::string state;      // alpha-3: the state proposing or taking a position
  std::string username;
  std::int64_t at = 0;    // unix ms
};

struct SpanProposal {
  std::string kind;          // insert | delete | replace
  std::string paragraph;     // paragraph id
  std::string text;          // delete/replace: the words to delete; insert: the words to insert
  std::string after;         // insert: the words after which to insert ("" = the paragraph's start)
  std::string replacement;   // replace: the words to insert instead
  std::int64_t occurrence = 0;   // which occurrence of text/after, from 1; 0 = it must be unique
};

// Returns the proposal id (for a replacement, the deletion's; the insertion is id + "a").
std::string propose_span(Text& t, const SpanProposal& p, const Author& who, const std::string& id);

// A new paragraph after `after` (a paragraph id; "" = first of `part`).
std::string propose_paragraph(Text& t, const std::string& after, Part part, const std::string& text,
                              const Author& who, const std::string& id);
std::string propose_paragraph_deletion(Text& t, const std::string& paragraph, const Author& who, const std::string& id);
std::string propose_alternative(Text& t, const std::string& paragraph, const std::string& text, const Author& who,
                                const std::string& id);

// support: the state's sign follows the proposer's; oppose: the other sign; nullopt:
// the state's position is removed.
void set_position(Text& t, const std::string& proposal, const std::string& state, std::optional<bool> support);

// Accepted: the proposal's change is made in the text; rejected (or withdrawn): it is
// dropped. Either way its brackets, and any nested in what is dropped, are gone.
void resolve(Text& t, const std::string& proposal, bool accepted);

// Agreed ad ref: only a paragraph without open brackets. `agreed` false reopens it.
void agree_ad_ref(Text& t, const std::string& paragraph, bool agreed);

// A compilation re-imported over the working text (`fresh`, as parsed) keeps the ids of
// what it still holds: a paragraph whose text (or clean text) is unchanged keeps its id,
// a bracket with the same text and proposer keeps its id and authorship; everything else
// gets a new id from `next_id`. Comments and the diff with earlier revisions stay right.
void carry_ids(Text& fresh, const Text& old, std::int64_t& next_id);

// The proposer's state of a proposal ("" when unattributed); throws 404 if unknown.
std::string proposer_of(const Text& t, const std::string& proposal);
// The index of a paragraph; throws Problem 404 (field `paragraph`) if unknown.
std::size_t paragraph_index(const Text& t, const std::string& id);

}  // namespace parley::negotiation
