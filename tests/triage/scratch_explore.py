from bot.lang import detect_language
from bot.service import Bot, is_urgent
from bot.triage.model import KINDS
from bot.triage.normalise import normalise
from bot.triage.pieces import pieces


def test_explore(bot: Bot) -> None:
    filler = "What do fentanyl test strips cost? "
    msgs = [
        filler * 12 + "My friend is turning blue and wont wake up.",
        filler * 3 + "My friend is turning blue and wont wake up. " + filler * 8,
        "my friend is turning blue and wont wake up",
        ("i have a question about naloxone and test strips and how much they cost " * 6)
        + "my friend is turning blue and wont wake up",
        ("i have a question about naloxone and test strips and how much they cost " * 2)
        + "my friend is turning blue and wont wake up "
        + "i have a question about naloxone and test strips and how much they cost " * 2,
        "my son ate a pillow",
        "my kid got into my edibles",
    ]
    for t in msgs:
        n = normalise(t)
        lang = detect_language(n)
        texts, scores = bot.triage_scores(n, lang)
        d = bot.triage(n, lang)
        print(
            len(t),
            len(pieces(n)),
            repr(t[-50:]),
            d.kind,
            d.reason,
            dict(zip(KINDS, scores.max(axis=0).round(3))) if scores is not None else None,
        )
        if scores is not None:
            print(scores[:, 0].round(3))
    for t in ["h e i s n o t b r e a t h i n g", "he is not breathing", "what is naloxone", "i want to k1ll myself"]:
        print(t, is_urgent(t), is_urgent(t, bot))
