"""Corpus topics and the words in a question that point at them, even when the topic's own name is absent.

Keys are the `topics` tags of the documents' front matter; values are accent-folded cue words and phrases.
Retrieval lifts the passages of a topic a question points at (`bot.tuning.TOPIC_BONUS`).
"""

from __future__ import annotations

from bot.text import tokens

# Words in a question that point at a corpus topic even when the topic's own name is absent ("right stamp",
# "from a guy on snap" are about counterfeit pills). Keys are document topic tags; values, folded cue words.
TOPIC_CUES: dict[str, tuple[str, ...]] = {
    "counterfeit-pills": (
        "snap",
        "snapchat",
        "instagram",
        "tiktok",
        "online",
        "internet",
        "social media",
        "stamp",
        "stamped",
        "pressed",
        "blues",
        "m30",
        "m30s",
        "legit",
        "real or fake",
        "fake",
        "fakes",
        "counterfeit",
        "redes sociales",
        "falsa",
        "falsas",
        "falsificad",
        "de verdad",
        "blue pill",
    ),
    "fentanyl-test-strips": ("strip", "strips", "fts", "tira", "tiras", "one line", "two lines", "una linea"),
    "loss-of-tolerance": (
        "jail",
        "prison",
        "inside",
        "locked up",
        "rehab",
        "detox",
        "got out",
        "tolerance",
        "break",
        "carcel",
        "prision",
        "tolerancia",
        "salio",
    ),
    "never-use-alone": ("alone", "by myself", "solo", "sola", "nobody around"),
    "good-samaritan": ("cops", "cop", "police", "arrested", "arrest", "trouble", "charged", "policia", "arrest"),
    "xylazine": ("tranq", "xylazine", "wound", "wounds", "sores", "xilacina", "heridas", "llagas"),
    "polysubstance": ("mix", "mixing", "drinking", "alcohol", "bars", "benzo", "benzos", "xanax", "mezclar", "alcohol"),
    "mixing-drugs": ("mix", "mixing", "drinking", "bars", "benzo", "xanax", "mezclar"),
    "talking-with-teens": (
        "teen",
        "teenager",
        "son",
        "daughter",
        "14",
        "15",
        "16",
        "backpack",
        "talk to",
        "adolescente",
        "hijo",
        "hija",
        "hablar con",
    ),
    "family-support": (
        "husband",
        "wife",
        "partner",
        "loved one",
        "brother",
        "sister",
        "refuses",
        "wont get help",
        "esposo",
        "esposa",
        "ser querido",
        "no quiere ayuda",
    ),
    "helpline": ("hotline", "helpline", "number to call", "someone to talk", "linea de ayuda"),
    "recovery-position": ("recovery position", "on their side", "on his side", "on her side", "de lado"),
    "rescue-breathing": ("rescue breath", "breaths", "breathe for", "respiracion de rescate"),
    "naloxone-storage": ("store", "storage", "car", "heat", "hot", "cold", "expired", "expire", "vencid", "guardo"),
}


def topic_cues(text: str) -> frozenset[str]:
    """The corpus topics a question's words point at."""
    folded = f" {' '.join(tokens(text))} "
    return frozenset(topic for topic, cues in TOPIC_CUES.items() if any(f" {cue} " in folded for cue in cues))
