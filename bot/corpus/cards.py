"""The printed quick-reference cards: which answer cards go on paper, in this order, two to a page.

Each printed card is one answer card (`corpus/cards/`), so paper says what the service says: the naloxone card
has the second dose, the test-strip card says what one line and two lines mean. The Spanish page prints each
card's twin. `bot/channels/web/cards.py` renders them.
"""

from __future__ import annotations

# Pairs share a page: signs and response, the two things to do with your hands, then testing, then help.
PRINTED: tuple[str, ...] = (
    "opioid-overdose-signs",
    "overdose-what-to-do",
    "naloxone-spray-steps",
    "rescue-breathing-steps",
    "recovery-position",
    "never-use-alone",
    "fentanyl-test-strips-how-to",
    "fentanyl-test-strips-results",
    "find-treatment-near-me",
    "samhsa-helpline",
)
PER_PAGE = 2
LANGUAGES = ("en", "es")
