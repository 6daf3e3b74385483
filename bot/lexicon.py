"""Street words, typos and stems: how the words people text are matched to the words the corpus uses."""

from __future__ import annotations

import difflib
import hashlib
from functools import lru_cache
from pathlib import Path

from bot.text import fold, tokens

# Street and short forms people use, mapped to the corpus's words (English, then Spanish). Matching is on
# accent-folded whole tokens. Sources for the street names: CDC "Fentanyl Facts" and DEA/CDC counterfeit-pill
# alerts ("M30", "blues"); SAMHSA medication pages (Suboxone, Vivitrol); CDC xylazine page ("tranq").
SLANG: dict[str, tuple[str, str]] = {
    "narcan": ("naloxone", "naloxona"),
    "narcans": ("naloxone", "naloxona"),
    "kloxxado": ("naloxone", "naloxona"),
    "zimhi": ("naloxone injection", "naloxona inyectable"),
    "fent": ("fentanyl", "fentanilo"),
    "fenty": ("fentanyl", "fentanilo"),
    "fetty": ("fentanyl", "fentanilo"),
    "fentanil": ("fentanyl", "fentanilo"),
    "od": ("overdose", "sobredosis"),
    "ods": ("overdose", "sobredosis"),
    "odd": ("overdose", "sobredosis"),
    "oding": ("overdose", "sobredosis"),
    "oded": ("overdose", "sobredosis"),
    "overdosing": ("overdose", "sobredosis"),
    "perc": ("percocet oxycodone pill", "percocet oxicodona pastilla"),
    "percs": ("percocet oxycodone pills", "percocet oxicodona pastillas"),
    "perks": ("percocet oxycodone pills", "percocet oxicodona pastillas"),
    "perkys": ("percocet oxycodone pills", "percocet oxicodona pastillas"),
    "blues": ("counterfeit fake pills m30 oxycodone", "pastillas falsificadas m30 oxicodona"),
    "m30": ("counterfeit fake pills oxycodone", "pastillas falsificadas oxicodona"),
    "m30s": ("counterfeit fake pills oxycodone", "pastillas falsificadas oxicodona"),
    "pressed": ("counterfeit fake pills", "pastillas falsificadas"),
    "bars": ("xanax benzodiazepines", "xanax benzodiacepinas"),
    "xans": ("xanax benzodiazepines", "xanax benzodiacepinas"),
    "xannies": ("xanax benzodiazepines", "xanax benzodiacepinas"),
    "benzos": ("benzodiazepines", "benzodiacepinas"),
    "subs": ("suboxone buprenorphine", "suboxone buprenorfina"),
    "sub": ("suboxone buprenorphine", "suboxone buprenorfina"),
    "bupe": ("buprenorphine", "buprenorfina"),
    "bup": ("buprenorphine", "buprenorfina"),
    "vivitrol": ("naltrexone", "naltrexona"),
    "tranq": ("xylazine", "xilacina"),
    "trank": ("xylazine", "xilacina"),
    "dope": ("heroin opioids", "heroina opioides"),
    "smack": ("heroin", "heroina"),
    "chiva": ("heroin", "heroina"),
    "coke": ("cocaine stimulant", "cocaina estimulante"),
    "crack": ("cocaine stimulant", "cocaina estimulante"),
    "perico": ("cocaine", "cocaina"),
    "meth": ("methamphetamine stimulant", "metanfetamina estimulante"),
    "crystal": ("methamphetamine", "metanfetamina"),
    "cristal": ("methamphetamine", "metanfetamina"),
    "addy": ("adderall stimulant", "adderall estimulante"),
    "addys": ("adderall stimulant", "adderall estimulante"),
    "oxy": ("oxycodone opioid", "oxicodona opioide"),
    "oxys": ("oxycodone opioid", "oxicodona opioide"),
    "oxies": ("oxycodone opioid", "oxicodona opioide"),
    "roxy": ("oxycodone", "oxicodona"),
    "roxies": ("oxycodone", "oxicodona"),
    "script": ("prescription", "receta"),
    "scrip": ("prescription", "receta"),
    "rx": ("prescription", "receta"),
    "rehab": ("treatment program", "tratamiento programa"),
    "detox": ("treatment withdrawal", "tratamiento abstinencia"),
    "clinic": ("treatment program", "tratamiento programa"),
    "dopesick": ("withdrawal", "abstinencia"),
    # Mexican and US Spanish for opioid withdrawal ("andar malilla", "estar malillo").
    "malilla": ("withdrawal", "abstinencia"),
    "malillo": ("withdrawal", "abstinencia"),
    "malilloso": ("withdrawal", "abstinencia"),
    "fts": ("fentanyl test strips", "tiras reactivas fentanilo"),
    "strips": ("test strips", "tiras reactivas"),
    "strip": ("test strip", "tira reactiva"),
    "tiras": ("test strips", "tiras reactivas"),
    "nitazene": ("nitazenes synthetic opioid", "nitacenos opioide sintetico"),
    "nitazenes": ("nitazenes synthetic opioid", "nitacenos opioide sintetico"),
    "carfent": ("carfentanil", "carfentanilo"),
    "samhsa": ("national helpline", "linea nacional de ayuda"),
    "hotline": ("helpline", "linea de ayuda"),
    "988": ("suicide crisis lifeline", "linea de crisis suicidio"),
    "911": ("emergency call", "emergencia llamar"),
    "cops": ("police good samaritan law", "policia ley buen samaritano"),
    "cop": ("police", "policia"),
    "police": ("good samaritan law", "ley buen samaritano"),
    "arrested": ("good samaritan law", "ley buen samaritano"),
    "trouble": ("good samaritan law", "ley buen samaritano"),
    "policia": ("good samaritan law", "ley buen samaritano"),
    "tolerance": ("tolerance", "tolerancia"),
    "jail": ("loss of tolerance", "perdida de tolerancia"),
    "prison": ("loss of tolerance", "perdida de tolerancia"),
    "carcel": ("loss of tolerance", "perdida de tolerancia"),
    "expired": ("expiration date", "fecha de vencimiento"),
    "vencida": ("expiration date", "fecha de vencimiento"),
    "u": ("you", "tu"),
    "ur": ("your", "tu"),
    "ppl": ("people", "personas"),
    "kid": ("child", "nino"),
    "kids": ("children", "ninos"),
    "teen": ("teens", "adolescentes"),
    "plug": ("dealer", "vendedor"),
}

# Words the corpus uses that people often misspell; a close token is corrected to them.
_KEY_TERMS = (
    "naloxone",
    "naloxona",
    "narcan",
    "fentanyl",
    "fentanilo",
    "overdose",
    "sobredosis",
    "xylazine",
    "xilacina",
    "buprenorphine",
    "buprenorfina",
    "methadone",
    "metadona",
    "naltrexone",
    "naltrexona",
    "suboxone",
    "oxycodone",
    "percocet",
    "xanax",
    "adderall",
    "counterfeit",
    "breathing",
    "respiracion",
    "unconscious",
    "withdrawal",
    "abstinencia",
    "tolerance",
    "treatment",
    "tratamiento",
    "carfentanil",
    "nitazenes",
    "benzodiazepines",
    "methamphetamine",
    "cocaine",
    "cocaina",
    "heroin",
    "heroina",
    "prescription",
    "receta",
    "samaritan",
    "helpline",
    "recovery",
    "stimulant",
    "pastillas",
    "nostril",
)

_STOPWORDS_EXTRA = {
    "en": {
        "u",
        "ur",
        "im",
        "ive",
        "dont",
        "cant",
        "wont",
        "thats",
        "whats",
        "gonna",
        "wanna",
        "like",
        "just",
        "really",
        # Question words carry no topic; left in, a question-shaped heading ("How do I start ...") outranks
        # the passages about what was asked.
        "how",
        "do",
        "does",
        "did",
        "i",
        "me",
        "my",
        "you",
        "your",
        "what",
        "can",
        "should",
    },
    "es": {"q", "k", "pq", "xq", "porque", "tambien", "ya"},
}


def lexicon_digest() -> str:
    """A digest of this module: street words, key terms and stemming shape every embedded text, so an index or
    classifier built under another version is stale."""
    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


@lru_cache(maxsize=4096)
def correct(token: str) -> str:
    """The key term a misspelt token most likely means, or the token itself."""
    if len(token) < 5 or token in _KEY_TERMS:
        return token
    match = difflib.get_close_matches(token, _KEY_TERMS, n=1, cutoff=0.8)
    if match:
        return match[0]
    # Two swapped letters ("fentynal") score below the cutoff, yet are among the commonest typos.
    return next((term for term in _KEY_TERMS if _one_swap(token, term)), token)


def _one_swap(a: str, b: str) -> bool:
    """True when `a` is `b` with exactly two letters exchanged."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def expand(text: str, lang: str | None = None) -> str:
    """The text followed by corrected spellings and the corpus words for any street terms it uses.

    With `lang`, only that language's corpus words are added (an English question should not pull Spanish
    passages through "naloxona"); without it, both.
    """
    extra: list[str] = []
    for tok in tokens(text):
        fixed = correct(tok)
        if fixed != tok:
            extra.append(fixed)
        if fixed in SLANG:
            en, es = SLANG[fixed]
            extra.extend([en] if lang == "en" else [es] if lang == "es" else [en, es])
    return f"{text} ({' '.join(extra)})" if extra else text


@lru_cache(maxsize=2)
def _stemmer(lang: str):  # type: ignore[no-untyped-def]
    import Stemmer

    return Stemmer.Stemmer("spanish" if lang == "es" else "english")


@lru_cache(maxsize=2)
def _stopwords(lang: str) -> frozenset[str]:
    from bm25s import stopwords

    base = stopwords.STOPWORDS_SPANISH if lang == "es" else stopwords.STOPWORDS_EN
    return frozenset({fold(w) for w in base} | _STOPWORDS_EXTRA[lang])


def stem_tokens(text: str, lang: str) -> list[str]:
    """Tokens for BM25: folded, stop words dropped, stemmed in the given language."""
    return list(_stems(text, lang))


# Composing an answer stems the same corpus sentences for every question; remembering them (a few thousand
# sentences and passages, a few MB) took stemming off the per-request path.
@lru_cache(maxsize=16384)
def _stems(text: str, lang: str) -> tuple[str, ...]:
    stop = _stopwords(lang)
    words = [t for t in tokens(text) if t not in stop]
    stems = [str(w) for w in _stemmer(lang).stemWords(words)]
    return tuple(_trim_verb(w) for w in stems) if lang == "es" else tuple(stems)


# Snowball leaves Spanish verb forms apart ("usa", "usar", "usando"); trimming the common endings once more
# lets a question's verb meet the corpus's ("¿cómo se usa?" and "cómo usar").
_ES_ENDINGS = (
    "iendo",
    "ando",
    "amos",
    "emos",
    "imos",
    "and",
    "am",
    "ar",
    "er",
    "ir",
    "an",
    "en",
    "as",
    "es",
    "a",
    "o",
    "e",
)


def _trim_verb(stem: str) -> str:
    for ending in _ES_ENDINGS:
        if stem.endswith(ending) and len(stem) - len(ending) >= 2:
            return stem[: -len(ending)]
    return stem
