"""Which substances a text names, so an answer card about one substance does not answer a question about another.

The all-MiniLM model reads Spanish mostly by its shape ("cuáles son los efectos ... a largo plazo"), so a card
about alcohol could outrank the card about heroin for a question that only names heroin. A card names the
substances of its title and topic (not its asks, which give examples: "heroin or pills" in a card on treatment);
when a question names some substance and a card names others but none of the question's, the card is not a
candidate (`bot.search.cards.card_scores`). A card that names no substance (what to
do in an overdose, finding treatment) and a question that names none are never excluded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.text import fold

# Groups of substances, as accent-folded word patterns (English and Spanish). Medicines that treat opioid use
# disorder are a group of their own: a question about buprenorphine is not a question about heroin.
_GROUPS: dict[str, tuple[str, ...]] = {
    "alcohol": (
        r"alcohol\w*",
        r"drinks?",
        r"drinking",
        r"drunk",
        r"beers?",
        r"wine",
        r"liquor",
        r"booze",
        r"vodka",
        r"tequila",
        r"whiske?y",
        r"binge",
        r"cervezas?",
        r"vino",
        r"licor",
        r"borrach\w*",
        r"beber",
        r"bebidas?",
        r"tragos?",
    ),
    "cannabis": (
        r"marijuana",
        r"marihuana",
        r"cannabis",
        r"weed",
        r"mota",
        r"thc",
        r"edibles?",
        r"comestibles?",
        r"dabs?",
        r"dabbing",
        r"blunts?",
        r"porros?",
        r"k2",
        r"spice",
    ),
    "nicotine": (
        r"vap\w*",
        r"e-?cig\w*",
        r"nicotin\w*",
        r"juul",
        r"tobacco",
        r"tabaco",
        r"cigarettes?",
        r"cigarros?",
        r"cigarrillos?",
    ),
    "opioids": (
        r"opioid\w*",
        r"opiate\w*",
        r"opiace\w*",
        r"heroin\w*",
        r"oxy\w*",
        r"oxicodona",
        r"percocets?",
        r"percs?",
        r"hydrocodone",
        r"hidrocodona",
        r"vicodin",
        r"morphine",
        r"morfina",
        r"codein\w*",
        r"tramadol",
        r"dilaudid",
        r"chiva",
    ),
    "moud": (
        r"methadone",
        r"metadona",
        r"buprenorphine",
        r"buprenorfina",
        r"suboxone",
        r"subutex",
        r"sublocade",
        r"bupe",
        r"naltrexon\w*",
        r"vivitrol",
    ),
    "stimulants": (
        r"cocain\w*",
        r"coke",
        r"crack",
        r"perico",
        r"meth",
        r"methamphetamine",
        r"metanfetamina",
        r"cristal",
        r"crystal",
        r"adderall",
        r"stimulants?",
        r"estimulantes?",
        r"molly",
        r"mdma",
        r"ecstasy",
        r"extasis",
        r"tachas?",
    ),
    "benzos": (
        r"benzo\w*",
        r"xanax",
        r"valium",
        r"klonopin",
        r"clonazepam",
        r"alprazolam",
        r"ativan",
        r"lorazepam",
        r"diazepam",
    ),
    # What gets into other drugs: a card about fentanyl or xylazine can answer a question about any drug.
    "fentanyl": (r"fentan\w*", r"carfentanil\w*", r"nitazen\w*"),
    "xylazine": (r"xylazine", r"xilacina", r"tranq"),
}
SUPPLY = frozenset({"fentanyl", "xylazine"})
_PATTERNS = {group: re.compile(r"\b(?:" + "|".join(words) + r")\b") for group, words in _GROUPS.items()}


def substances(text: str) -> frozenset[str]:
    """The substance groups a text names (its words accent-folded); fentanyl counts as an opioid too."""
    folded = fold(text)
    found = frozenset(group for group, pattern in _PATTERNS.items() if pattern.search(folded))
    return found | {"opioids"} if "fentanyl" in found else found


def named_by_all(texts: Iterable[str]) -> frozenset[str]:
    """The substance groups any of the texts names: a card's, from its title and topic."""
    out: frozenset[str] = frozenset()
    for text in texts:
        out |= substances(text)
    return out


def unrelated(question: frozenset[str], card: frozenset[str]) -> bool:
    """Whether a card is about other substances than the question: both name some, and none in common. A card
    about what gets into the drug supply (`SUPPLY`) is related to every question that names a drug."""
    if card & SUPPLY:
        return False
    return bool(question) and bool(card) and not question & card
