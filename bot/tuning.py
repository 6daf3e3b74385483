"""Every number chosen on evaluation data: retrieval weights, composition floors and the answer gate.

All of them were tuned with all-MiniLM-L6-v2 (the default `BOT_MODEL`, through both the torch and the ONNX int8
encoders) on the evaluation sets in `tests/data/` and `../shared/dev-eval.jsonl`; the README's figures and the
floors in `tests/integration/test_quality.py` are what they were judged by. Another encoder scores on another
scale: retune these against the same sets before trusting its answers. Triage chooses its own thresholds
by cross-validation when the classifier is trained (`bot/triage/train.py`).
"""

from __future__ import annotations

# --- Retrieval (bot/search/retriever.py) ------------------------------------------------------------------------
# Cosine similarity plus BM25 scaled to the best keyword match, so exact street terms and drug names lift a
# passage without drowning the meaning. Tuned on tests/data/eval.jsonl.
BM25_WEIGHT = 0.25
# Two content words in a row that a passage also has in a row ("recovery position", "test strip").
PHRASE_BONUS = 0.06
# A question's words point at a corpus topic (bot/corpus/topics.py).
TOPIC_BONUS = 0.05
# Shared words with a passage's heading, per heading word.
HEADING_BONUS = 0.1
# A passage in the other language still counts, but less: a Spanish question prefers Spanish documents.
OTHER_LANGUAGE_WEIGHT = 0.8
# Passages retrieved for each question.
SEARCH_K = 8

# --- The answer gate (bot/service.py, bot/compose.py) ------------------------------------------------------------
# Below this confidence the reply is `no_answer` (or `out_of_scope` for a question with no harm-reduction
# words); the default of BOT_MIN_CONFIDENCE.
MIN_CONFIDENCE = 0.27
# A question with none of the corpus's words must match this much more closely before it is answered.
OUT_OF_DOMAIN_MARGIN = 0.2
# Confidence: the best dense similarity among the top three hits, blended with their word coverage.
CONFIDENCE_DENSE_WEIGHT = 0.7
CONFIDENCE_LEXICAL_WEIGHT = 0.3

# --- Composition (bot/compose.py) --------------------------------------------------------------------------------
# Passages whose sentences are considered.
CANDIDATE_PASSAGES = 6
# Passages scoring below this share of the best one are not quoted (a step to take may still come from them).
PASSAGE_FLOOR = 0.8
# How far below the best sentence another may score and still be used.
RELATIVE_FLOOR = 0.5
# Sentences this similar to one already chosen add nothing.
NEAR_DUPLICATE = 0.88
# Maximal marginal relevance: relevance against novelty.
MMR_LAMBDA = 0.7
# Sentence score: its own similarity to the question, its passage's standing, and shared words.
W_SENTENCE, W_PASSAGE, W_LEXICAL = 0.45, 0.35, 0.2
# At most this many sentences from one passage: an answer that lists every form of a medicine crowds out
# whether the medicine works (checked against the evaluation sets).
MAX_PER_PASSAGE = 5
# A step to take (911, naloxone, a helpline, a test strip, a provider) is added when no chosen sentence names
# one and the best candidate that does is at least this relevant.
ACTION_FLOOR = 0.65
# Overdose-response answers add a sentence saying to call 911 when one is at least this relevant.
CALL_911_FLOOR = 0.45

# --- Answer cards (bot/search/cards.py) ---------------------------------------------------------------------------
# A card's score is the cosine to its closest ask plus this much of BM25 over the asks (scaled to the best ask).
CARD_BM25_WEIGHT = 0.2
# ... plus this much of BM25 over the card's title and answer (scaled to the best card), so that a question's
# content words count where no ask has them ("can I flush my dad's old pills" and an answer that names flushing).
# The all-MiniLM model reads Spanish mostly by its sentence shape, so this helps Spanish most. On the seen sets of
# tests/data, the dev set and three fresh sets (3,309 answerable questions), answers rose by 14 at 0.05, 18 at 0.1
# (English +1, Spanish +17), 15 at 0.15 and 3 at 0.2; out of scope did not move.
CARD_ANSWER_WEIGHT = 0.1
# ... plus this much of the card classifier's probability (bot/search/cardmodel.py: character n-grams, so
# misspellings and Spanish endings count). Chosen by five-fold cross-validation over the cards' own asks, no
# evaluation set (scripts/tune_card_model.py): held-out asks whose own card (or a sibling) came out on top rose
# from 85.4% to 87.5% in English and from 89.5% to 91.6% in Spanish at 0.5; from 0.3 to 1.0 they moved by less
# than half a point.
CARD_MODEL_WEIGHT = 0.5
# The highest score a card can reach (an ask matched exactly, with the best BM25 on both and the classifier
# sure): BOT_MIN_CONFIDENCE, a confidence from 0 to 1, is read on this scale when it gates cards (bot/service.py).
CARD_TOP_SCORE = 1.0 + CARD_BM25_WEIGHT + CARD_ANSWER_WEIGHT + CARD_MODEL_WEIGHT
# A card answers when its score reaches the floor and beats the best card that is not its sibling by the margin;
# otherwise the answer is composed from passages. Chosen by leave-one-out over the cards' own asks
# (scripts/tune_cards.py), not on any evaluation set. With 136 card pairs: 89% of held-out asks that a card
# answered got their own card or a sibling, 79% were answered by a card, and 21% of out-of-scope training
# messages would reach a card if triage let them through. A lower margin answers more asks from cards but with
# more wrong cards; the expected share of good answers was flat between margins 0.02 and 0.06, and a wrong card
# is worse than a weak composed answer, so the stricter end was taken.
CARD_FLOOR = 0.65
CARD_MARGIN = 0.04
# Cards whose mean ask vectors are this close are siblings (bot/search/cards.py).
CARD_SIBLING = 0.8
# A tentative crisis (bot/triage/decide.py) is answered from the best card, with the 988 line first, when its cosine
# to one of that card's asks reaches this (and the card is clearly ahead). On the seen sets of tests/data and the
# dev set (4,694 messages), of the 620 the classifier sent to the crisis reply, this answered 15 questions that
# should have been answered, one refusal (a question about test strips), and no crisis; at 0.7 it answered 19
# questions and one crisis ("the least painful way to die"), at 0.8 nine questions.
CARD_PARAPHRASE = 0.75
