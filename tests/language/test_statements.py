"""Reading statements from sentences the seed pages never wrote: subjects found by their terms and cues, values
normalised with their hedges, stances with negation, entities tied to the study they are about."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from kb.index.build import ready
from kb.language.compare import conflict_between
from kb.language.statements import document_statements, sentence_statements
from kb.language.values import StatedValue
from kb.language.vocabulary import Vocabulary
from kb.pages.read import read_bytes
from kb.settings import resolve
from kb.store.vocabulary import load_vocabulary

DATA = Path(__file__).resolve().parents[2] / "data"
MINUTE = 1 / 1440


@pytest.fixture(scope="module")
def vocabulary(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    db = tmp_path_factory.mktemp("vocab") / "index.sqlite"
    return load_vocabulary(ready(resolve(str(DATA), f"sqlite:///{db}")))


def _read(vocabulary: Vocabulary, text: str) -> dict[str, StatedValue]:
    found, _ = sentence_statements(text, vocabulary)
    return dict(found)


def _minutes(value: StatedValue) -> tuple[float, float]:
    assert value.low is not None and value.high is not None
    return round(value.low / MINUTE, 1), round(value.high / MINUTE, 1) if value.high != math.inf else math.inf


@pytest.mark.parametrize(
    ("sentence", "minutes"),
    [
        ("Each infusion takes about 3 hours.", (162.0, 198.0)),
        ("A typical ketamine drip runs for 90 minutes.", (90.0, 90.0)),
        ("Your IV infusion will last roughly two hours.", (108.0, 132.0)),
        ("The infusion itself lasts between forty-five minutes and an hour.", (45.0, 60.0)),
        ("Infusions usually take an hour and a half.", (90.0, 90.0)),
        ("The infusion lasts an hour.", (60.0, 60.0)),
        ("Each IV infusion takes at least an hour.", (60.0, math.inf)),
    ],
)
def test_infusion_lengths_in_new_words(vocabulary: Vocabulary, sentence: str, minutes: tuple[float, float]) -> None:
    assert _minutes(_read(vocabulary, sentence)["infusion-session-length"]) == minutes


@pytest.mark.parametrize(
    "sentence",
    [
        "Patients should avoid driving for 24 hours following an infusion session.",  # not the infusion's length
        "Once the infusion finishes it takes about 20 minutes for the dizziness to fade.",  # recovery, not length
        "Book your free 15 minute phone consultation about ketamine infusion therapy.",
        "Prolonged infusions (4-14 days) were used in the studies.",
    ],
)
def test_other_times_are_not_infusion_lengths(vocabulary: Vocabulary, sentence: str) -> None:
    assert "infusion-session-length" not in _read(vocabulary, sentence)


def test_recovery_and_relief_are_told_apart(vocabulary: Vocabulary) -> None:
    recovery = _read(vocabulary, "Once the infusion ends, the psychoactive effects are gone within 20 minutes.")
    assert _minutes(recovery["recovery-time"]) == (0.0, 20.0)  # "within 20 minutes": at most 20
    relief = _read(vocabulary, "Most patients feel relief within 30 minutes of the first dose.")
    assert _minutes(relief["relief-onset"]) == (0.0, 30.0) and "recovery-time" not in relief
    by_the_end = _read(vocabulary, "Many patients feel relief by the end of the infusion.")
    assert by_the_end["relief-onset"].relative is not None
    lasting = _read(vocabulary, "The pain relief can last for several weeks.")
    assert "relief-duration" in lasting and "relief-onset" not in lasting


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Ketamine isn't addictive.", "not-addictive"),
        ("Ketamine is not an addictive drug.", "not-addictive"),
        ("Ketamine has a low risk of addiction.", "not-addictive"),
        ("Ketamine can be habit-forming and is sold as a party drug.", "addictive-potential"),
        ("Because ketamine is abused recreationally, clinics keep it locked away.", "addictive-potential"),
    ],
)
def test_addiction_stances_with_negation(vocabulary: Vocabulary, sentence: str, stance: str) -> None:
    assert _read(vocabulary, sentence)["addiction-potential"].stance == stance


@pytest.mark.parametrize(
    ("sentence", "stance"),
    [
        ("Ketamine infusions can cure your migraines.", "cure"),
        ("Ketamine therapy is not a cure for migraine.", "not-a-cure"),
        ("Ketamine treatment does not cure migraine, but it can ease it.", "not-a-cure"),
    ],
)
def test_cure_stances(vocabulary: Vocabulary, sentence: str, stance: str) -> None:
    assert _read(vocabulary, sentence)["cure-or-not"].stance == stance


def test_a_stance_must_be_about_ketamine(vocabulary: Vocabulary) -> None:
    assert "addiction-potential" not in _read(vocabulary, "Widespread abuse of the word migraine confuses people.")
    assert _read(vocabulary, "Opioids are addictive.") == {}  # another treatment


def test_a_paragraph_about_another_treatment_says_nothing_about_ketamine(vocabulary: Vocabulary) -> None:
    page = (
        "Lidocaine Infusions. Our lidocaine infusions are popular. Studies show they provide relief within minutes."
        "\n\nKetamine infusions bring relief within minutes.\n"
    )
    statements = document_statements(read_bytes(page.encode(), "p.txt"), vocabulary)
    assert [(s.subject, s.line) for s in statements] == [("relief-onset", 3)]


def test_an_entity_counts_only_when_the_sentence_names_the_study(vocabulary: Vocabulary) -> None:
    city = _read(vocabulary, "Researchers at Thomas Jefferson University studied 61 patients in Boston.")
    assert city["jefferson-61-study-city"].entity == "Boston"
    assert "jefferson-61-study-city" not in _read(vocabulary, "Our clinic in Boston opened in 2020.")
    journal = _read(vocabulary, "A study of 61 patients appeared in Regional Anesthesia and Pain Medicine.")
    assert journal["jefferson-61-study-journal"].entity == "Regional Anesthesia and Pain Medicine"


def test_relative_times_resolve_against_the_pages_own_infusion_length(vocabulary: Vocabulary) -> None:
    page = b"Infusions last 40 minutes.\n\nRelief should be evident as soon as the infusion is finished.\n"
    statements = {s.subject: s for s in document_statements(read_bytes(page, "p.txt"), vocabulary)}
    relief = statements["relief-onset"].value
    assert (
        _minutes(relief) == (40.0, 40.0)
        and "this page gives length of one ketamine infusion for migraine as 40 min" in relief.basis
    )


def _value(vocabulary: Vocabulary, sentence: str, subject: str) -> StatedValue:
    return _read(vocabulary, sentence)[subject]


@pytest.mark.parametrize(
    ("a", "b", "subject", "conflict"),
    [
        ("The infusion takes 45 minutes to an hour.", "You are given the infusion over the course of an hour.",
         "infusion-session-length", False),
        ("Patients return to feeling normal after 15 to 30 minutes.",
         "The psychoactive effects are gone after ten to thirty minutes.", "recovery-time", False),
        ("The infusion takes about an hour.", "Infusions last 2 to 4 hours.", "infusion-session-length", True),
        ("The infusion takes almost 2 hours.", "Infusions last 2 to 4 hours.", "infusion-session-length", False),
        ("The infusion takes up to 3 hours.", "Infusions last 2 to 4 hours.", "infusion-session-length", False),
    ],
)  # fmt: skip
def test_hedged_ranges_overlap_or_not(vocabulary: Vocabulary, a: str, b: str, subject: str, conflict: bool) -> None:
    reason = conflict_between(_value(vocabulary, a, subject), _value(vocabulary, b, subject))
    assert (reason is not None) is conflict
    if conflict:
        assert reason is not None and reason.endswith("the ranges do not overlap")


def test_an_exclusion_speaks_for_its_own_clause(vocabulary: Vocabulary) -> None:
    both = _read(vocabulary, "Our infusions take 40 minutes, and most patients feel relief within a day.")
    assert _minutes(both["infusion-session-length"]) == (40.0, 40.0)
    assert _minutes(both["relief-onset"]) == (0.0, 1440.0)
    aside = _read(vocabulary, "Studies of prolonged infusions (4-14 days) show long-term effects.")
    assert "infusion-session-length" not in aside  # the bracket belongs to "prolonged infusions"


@pytest.mark.parametrize(
    ("sentence", "subject", "expected"),
    [
        ("Most people feel back to normal 30 minutes after the drip ends.", "recovery-time", (30.0, 30.0)),
        ("Relief can come within minutes to hours.", "relief-onset", (1.0, 1440.0)),
    ],
)
def test_more_ways_to_say_a_time(vocabulary: Vocabulary, sentence: str, subject: str, expected: tuple) -> None:
    assert _minutes(_read(vocabulary, sentence)[subject]) == expected


def test_dose_comparisons(vocabulary: Vocabulary) -> None:
    assert (
        _read(vocabulary, "The ketamine dose for migraine is lower than the anesthetic dose.")[
            "dose-vs-depression"
        ].stance
        == "lower"
    )
    assert (
        _read(vocabulary, "Migraine doses are about 2 to 5 times the depression dose.")["dose-vs-depression"].stance
        == "higher"
    )


def test_a_city_the_knowledge_base_never_named_is_still_read(vocabulary: Vocabulary) -> None:
    found = _read(vocabulary, "In a study out of Denver, almost 75 percent experienced an improvement.")
    assert found["jefferson-61-study-city"].entity == "Denver"
    assert "jefferson-61-study-city" not in _read(vocabulary, "Our clinic in Denver opened in 2020.")
    philadelphia = _read(vocabulary, "In Philadelphia, scientists conducted a study with 61 patients.")
    reason = conflict_between(found["jefferson-61-study-city"], philadelphia["jefferson-61-study-city"])
    assert reason == "Denver vs Philadelphia for the same study"


def test_a_negation_stays_in_its_clause(vocabulary: Vocabulary) -> None:
    found = _read(vocabulary, "Ketamine is non-addictive and completely safe.")
    assert found["addiction-potential"].stance == "not-addictive"
    assert found["addiction-potential"].text == "non addictive"  # the words read include the negation
    assert found["safety-side-effect-burden"].stance == "minimal-side-effects"  # "non" does not reach "safe"


def test_a_stance_the_page_distances_itself_from_is_not_its_own(vocabulary: Vocabulary) -> None:
    assert _read(vocabulary, "Ketamine is not addictive.")["addiction-potential"].stance == "not-addictive"
    assert "addiction-potential" not in _read(vocabulary, "Some clinics claim that ketamine is not addictive.")
    assert "cure-or-not" not in _read(vocabulary, "Be wary of anyone who says ketamine can cure your migraines.")


def test_a_modal_hedges_a_stance_and_several_stances_are_accounts_not_opposites(vocabulary: Vocabulary) -> None:
    """ "may provide long-term relief" is a possibility (it contradicts no source); mechanisms do not exclude each
    other, so two pages that give different ones do not conflict."""
    hedged = _read(vocabulary, "Ketamine infusions may provide long-term relief.")["long-term-benefit"]
    flat = _read(vocabulary, "Ketamine infusions provide long-term relief.")["long-term-benefit"]
    assert (hedged.stance, hedged.qualifier, flat.qualifier) == ("long-term-relief", "hedged", "exact")
    nmda = _read(vocabulary, "Ketamine works by blocking NMDA receptors.")["mechanism"]
    rewire = _read(vocabulary, "Ketamine helps rewire the brain.")["mechanism"]
    assert (nmda.stance, rewire.stance) == ("nmda-receptor-antagonism", "rewires-brain")
    assert conflict_between(nmda, rewire) is None


def test_the_stemmer_kb_uses_stems_as_the_pure_python_snowball_does() -> None:
    """snowballstemmer hands the work to PyStemmer (C) when it is installed: same algorithm, same stems, checked
    here on every word of the bundled knowledge base."""
    import re

    from snowballstemmer.english_stemmer import EnglishStemmer

    from kb.language.words import stem

    reference = EnglishStemmer()
    text = " ".join(path.read_text(encoding="utf-8") for path in sorted(DATA.glob("*.yaml"))).lower()
    words = set(re.findall(r"[a-z]+", text))
    assert len(words) > 1000
    assert {w for w in words if stem(w) != reference.stemWord(w)} == set()


@pytest.fixture(scope="module")
def melatonin(tmp_path_factory: pytest.TempPathFactory) -> Vocabulary:
    db = tmp_path_factory.mktemp("vocab-melatonin") / "index.sqlite"
    return load_vocabulary(ready(resolve(str(DATA.parent / "examples" / "melatonin"), f"sqlite:///{db}")))


def _subjects(vocabulary: Vocabulary, page: str) -> list[tuple[str, int]]:
    return [(s.subject, s.line) for s in document_statements(read_bytes(page.encode(), "p.txt"), vocabulary)]


def test_a_sentence_opening_on_this_speaks_of_what_the_sentence_before_named(melatonin: Vocabulary) -> None:
    before = "The survey found a rise in the use of more than 5 mg of melatonin a night."
    then = "This increase was seen from 2005-2006, when the prevalence rate was 0.08%."
    carried = _subjects(melatonin, f"{before}\n{then}\n")
    assert ("high-dose-use-prevalence", 2) in carried and ("adult-use-prevalence", 2) not in carried
    # in a new paragraph the sentence's own words decide
    fresh = _subjects(melatonin, f"{before}\n\n{then}\n")
    assert ("high-dose-use-prevalence", 3) not in fresh and ("adult-use-prevalence", 3) in fresh


def test_a_count_of_studies_is_no_count_of_participants() -> None:
    from kb.language.times import Candidate, counting
    from kb.language.values import StatedValue

    def candidate(text: str, n: float) -> Candidate:
        return Candidate(StatedValue(text, n, n, "count"), 0)

    found = counting([candidate("19 studies", 19), candidate("1,683 participants", 1683), candidate("over 1800", 1800),
                      candidate("1683 adults", 1683)], ("participants", "subjects", "people"))  # fmt: skip
    assert [c.value.text for c in found] == ["1,683 participants", "over 1800", "1683 adults"]
