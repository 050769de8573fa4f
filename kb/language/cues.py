"""The words that change how a sentence is read, in one place for every reader: what negates, what hedges, what
names a study and what calls one recent. The claim matcher (`kb.language.matching`), the statement reader
(`kb.language.sentence`) and the risky-wording reader (`kb.language.wording`) all build their patterns from these
lists, so a sentence is negated, hedged or about a study the same way whichever rule reads it."""

from __future__ import annotations

import re
from collections.abc import Iterable

# Words that negate what follows them in their clause. "non" is a prefix ("non-addictive"): the statement reader
# takes it as a word of its own, the patterns below do not.
NEGATORS = frozenset(
    {"not", "no", "never", "non", "nor", "neither", "without", "hardly", "nothing", "none", "cannot", "can't",
     "isn't", "aren't", "wasn't", "weren't", "doesn't", "don't", "didn't", "won't", "wouldn't"}
)  # fmt: skip

# Evidential hedges: the sentence says the evidence is tentative or partial ("may", "in a small retrospective
# study"). "About" and "almost" are approximations of a figure, not hedges (kb.text.quantities reads those).
HEDGES = (
    "may", "might", "could", "can help", "suggest", "suggests", "some patients", "small", "preliminary",
    "retrospective", "one study", "early", "limited", "possible", "possibly", "potential", "potentially",
    "uncontrolled", "more research",
)  # fmt: skip

# Modal hedges on a stance ("may provide long-term relief"): a possibility, not an assertion that it is shown.
MODALS = frozenset({"may", "might", "could", "possibly", "potentially", "perhaps"})

# Words by which a page distances itself from what follows in the clause ("some clinics claim it is a cure",
# "Myth: melatonin is addictive"): what they introduce is reported, not asserted.
DISTANCING = (
    "claim that", "claims that", "claimed that", "some claim", "so-called", "myth", "myths", "it is not true that",
    "contrary to popular belief", "marketed as", "promoted as", "touted as", "advertised as", "falsely", "beware of",
    "be wary of", "be skeptical of", "red flag", "red flags", "no one can promise", "nobody can promise",
    "reputed to", "rumored to", "rumoured to", "is said to", "are said to",
    # others' claims and beliefs, and promises the page declines to make
    "claim", "claims", "claimed", "believe", "believes", "believed", "cannot promise", "can't promise",
    "can not promise", "cannot guarantee", "can't guarantee", "no one can guarantee", "nobody can guarantee",
    "misconception", "misconceptions",
    # a claim the page says is not shown ("no study has shown that X cures Y")
    "no evidence that", "no proof that", "no study has shown", "no studies have shown", "no research has shown",
    "no trial has shown", "not been shown", "not been proven", "not proven", "little evidence that",
    "insufficient evidence that", "not enough evidence that", "has not shown", "have not shown", "did not show",
    "failed to show", "no good evidence that",
)  # fmt: skip

# An open question: what follows "whether" in its clause, or "if" after a word of not knowing, is asked, not
# asserted ("it is not clear whether X is safe for long-term use", "ask your doctor if X is safe for you"). A comma
# ends it: "Whether you travel or not, X is completely safe" asserts the safety.
OPEN_QUESTION = (
    "whether", "unclear if", "not clear if", "not known if", "unknown if", "not sure if", "ask your doctor if",
    "ask your pharmacist if", "check with your doctor if", "talk to your doctor about whether",
)  # fmt: skip

# What names a study, or the kind of body that publishes one.
STUDY_WORDS = (
    "study", "studies", "trial", "trials", "review", "research", "researchers", "scientists", "published",
    "analysis", "journal", "survey", "data", "university", "hospital", "foundation", "according to",
)  # fmt: skip

# "A recent / new / latest study": what calls a study recent, and the study nouns it may take.
RECENT_WORDS = ("recent", "recently", "new", "newer", "latest", "newly published", "just published")
RECENT_NOUNS = (
    "study", "studies", "review", "reviews", "trial", "trials", "research", "analysis", "paper", "data", "survey",
    "report", "findings", "meta-analysis", "researchers", "scientists",
)  # fmt: skip


def alternatives(words: Iterable[str]) -> str:
    """A regex alternation of whole phrases, longest first (so "can help" is tried before "can")."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))


NEGATION = re.compile(rf"\b(?:{alternatives(NEGATORS - {'non'})})\b")
HEDGE = re.compile(rf"\b(?:{alternatives(HEDGES)})\b")
STUDY = re.compile(rf"\b(?:{alternatives(STUDY_WORDS)})\b")
_ASKED = rf"\b(?:{alternatives(OPEN_QUESTION)})\b[^,.;!?]{{0,80}}"
DISTANCED = re.compile(rf"\b(?:{alternatives(DISTANCING)})\b[^.;!?]{{0,80}}$|{_ASKED}$")
# Anywhere in a sentence: others' claim, not the page's own; or a question that runs to the sentence's end.
REPORTED = re.compile(rf"\b(?:{alternatives(DISTANCING)})\b|{_ASKED}[.?!]?[\s\"'”)]*$")
# Others' claim named after it: "It cures jet lag, some websites claim, but ..." (words of doubt only: ", doctors
# say" attributes, it does not distance). Matched from the claim's end (pattern.match at a position).
CLAIMED_AFTER = re.compile(
    r"[^.;!?]{0,80}?,\s*(?:[\w'’-]+\s+){0,3}?(?:claim|claims|claimed|allege|alleges|alleged|insist|insists)\b"
    r"(?!\s+(?:to|that)\b)"
)
# "a recent study", "new research"; and "recently" as an adverb of the finding: "Recently, researchers examined",
# "scientists recently reported", "a study published recently".
RECENT_STUDY = re.compile(
    rf"\b({alternatives(RECENT_WORDS)})\s+(?:\w+\s+)?({alternatives(RECENT_NOUNS)})\b"
    rf"|\b(recently)\b,?\s+(?:\w+\s+){{0,2}}?({alternatives(RECENT_NOUNS)})\b"
    rf"|\b({alternatives(RECENT_NOUNS)})\s+(?:\w+\s+){{0,2}}?(recently)\b"
)
