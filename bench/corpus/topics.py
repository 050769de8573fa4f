"""The phrasings of the `kb contradictions` pages (`statements`): per subject, sentence templates around {v} and
the values pages give (repeats weigh), hedges and number words, filler sentences, titles and lead-ins.

Subjects are those of the bundled vocabulary that `kb.language.statements` detects; the values are realistic wordings
("about an hour", "45 minutes to an hour", "2 to 4 hours", "three out of four patients", ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# A value: a literal phrase, (n, unit), (low, high, unit) or (low, unit, high, unit) ("45 minutes to an hour").
Spec = str | tuple[Any, ...]


@dataclass(frozen=True)
class Topic:
    """How pages word one subject: sentence templates around {v}, the values they give (repeats weigh), and the
    range outliers are drawn from."""

    subject: str
    weight: int
    templates: tuple[str, ...]
    values: tuple[Spec, ...]
    outlier: tuple[int, int, str] | None = None
    statements: int = 1  # statements a sentence is meant to give


# Data tables: several items a line (ruff format would put every phrase on a line of its own).
# fmt: off
HEDGES = ("about ", "around ", "approximately ", "nearly ", "almost ", "up to ", "roughly ", "at least ", "over ")
NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 8: "eight", 10: "ten", 12: "twelve",
    15: "fifteen", 20: "twenty", 30: "thirty", 40: "forty", 45: "forty-five", 60: "sixty", 90: "ninety",
}
TOPICS = (
    Topic(
        "infusion-session-length", 16,
        (
            "Each infusion takes {v}.", "The infusion itself lasts {v}.", "Infusions typically last {v}.",
            "The ketamine infusion usually takes {v}.", "A single infusion runs for {v}.",
            "The infusion is expected to last {v}.",
        ),
        (
            (1, "hour"), (1, "hour"), (1, "hour"), (45, "minute"), (45, "minute"), (40, "minute"), (30, "minute"),
            (50, "minute"), (60, "minute"), (90, "minute"), (2, "hour"), (3, "hour"), (4, "hour"), (1.5, "hour"),
            (45, "minute", 1, "hour"), (45, "minute", 1, "hour"), (45, "minute", 1, "hour"), (40, 60, "minute"),
            (40, 45, "minute"), (30, 45, "minute"), (1, 2, "hour"), (2, 4, "hour"), (2, 4, "hour"), (2, 3, "hour"),
            (4, 6, "hour"),
        ),
        (5, 48, "hour"),
    ),
    Topic(
        "clinic-visit-length", 6,
        (
            "A typical session lasts {v}.", "Plan for the whole visit to take {v}.",
            "The appointment takes {v} in total.", "Your visit will last {v} from start to finish.",
        ),
        (
            (2, "hour"), (2, "hour"), (90, "minute"), (3, "hour"), (1.5, "hour"), (2.5, "hour"), (2, 3, "hour"),
            (2, 3, "hour"), (1, 2, "hour"), (90, "minute", 2, "hour"), (3, 4, "hour"),
        ),
        (5, 10, "hour"),
    ),
    Topic(
        "recovery-time", 8,
        (
            "Most patients return to feeling normal {v}.", "The dissociation typically resolves {v}.",
            "The effects of the drug usually wear off {v}.",
        ),
        (
            "within a few hours", "within a few hours", "within an hour", "within minutes", "within a couple of hours",
            ("after ", 30, "minute"), ("after ", 15, 30, "minute"), ("within ", 30, "minute"),
            ("within ", 15, 30, "minute"), ("within ", 10, 30, "minute"), ("within ", 1, 2, "hour"),
            ("in ", 20, "minute"), ("in ", 30, 60, "minute"), ("within ", 2, "hour"),
        ),
        (3, 24, "hour"),
    ),
    Topic(
        "relief-onset", 10,
        ("Many patients feel relief {v}.", "Relief is often felt {v}.", "Patients typically start to feel better {v}."),
        (
            "within minutes", "within minutes", "within hours", "within a few days", "within 24 hours",
            "within 48 hours", "within 1 to 2 days", "as soon as the infusion is finished",
            "as soon as the infusion is finished", "by the end of the infusion", "immediately", ("within ", 1, "hour"),
            ("within ", 2, "hour"), ("within ", 4, "hour"), ("after ", 2, "infusion"), ("after ", 3, "infusion"),
            ("after ", 4, "infusion"), ("after ", 6, "infusion"),
        ),
        (3, 21, "day"),
    ),
    Topic(
        "relief-duration", 10,
        (
            "The relief can last {v}.", "The beneficial effects can last {v}.",
            "For most patients the benefit lasts {v}.",
        ),
        (
            (30, 100, "day"), (30, 100, "day"), (3, "month"), (3, "month"), (6, "week"), (2, "week"), (4, "week"),
            (8, "week"), (1, "month"), (2, "month"), (6, "month"), (1, 3, "month"), (3, 6, "week"), (2, 4, "week"),
            "for several weeks or even months", "for several weeks or even months", "for several months",
            "for a few weeks",
        ),
        (1, 18, "month"),
    ),
    Topic(
        "jefferson-61-responder-share", 8,
        ("In the study of 61 patients, {v} improved.", "A Jefferson study of 61 patients found that {v} responded."),
        (
            "almost 75 percent", "almost 75 percent", "almost 75 percent", "77%", "77 percent",
            "three out of four patients", "three out of four patients", "3 out of 4 patients", "48 of 61 patients",
            "nearly 80 percent", "about 75%", "more than 70 percent", "roughly three quarters",
        ),
        (20, 95, "percent"),
    ),
    Topic(
        "jefferson-61-study-city", 3,
        (
            "A study out of {v} found almost 75 percent improved.",
            "A study out of {v} found that three out of four patients improved.",
        ),
        ("Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Boston"),
        statements=2,
    ),
    Topic(
        "jefferson-61-study-city", 2,
        (
            "In {v}, scientists at Thomas Jefferson University Hospital conducted a study with 61 patients.",
            "The study of 61 patients was done in {v}.",
        ),
        ("Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Philadelphia", "Boston"),
    ),
    Topic(
        "jefferson-61-study-journal", 3,
        ("The study of 61 patients was published in {v}.", "Results of the 61-patient study appeared in {v}."),
        (
            "Regional Anesthesia and Pain Medicine", "Regional Anesthesia and Pain Medicine",
            "Regional Anesthesia and Pain Medicine", "Regional Anesthesia and Pain Medicine",
            "The Journal of Headache and Pain", "Headache: The Journal of Head and Face Pain",
        ),
    ),
    Topic(
        "niesters-review-journal", 2,
        ("A review by Niesters in the {v} found potent analgesia.",),
        (
            "British Journal of Clinical Pharmacology", "British Journal of Clinical Pharmacology",
            "British Journal of Pharmacology",
        ),
    ),
    Topic(
        "addiction-potential", 12,
        ("{v}",),
        (
            "Ketamine is not addictive.", "Ketamine is not an addictive drug.",
            "Ketamine has a low potential for abuse.", "At these doses ketamine has a low risk of addiction.",
            "Ketamine is non-addictive when given in a clinic.", "Ketamine is not habit-forming.",
            "Ketamine is often abused as a street drug.", "Ketamine is a controlled substance.",
            "Ketamine can be habit-forming.", "Ketamine is sometimes used as a party drug.",
        ),
    ),
    Topic(
        "cure-or-not", 10,
        ("{v}",),
        (
            "Ketamine is not a cure for migraines.", "Ketamine is not a cure for migraines.",
            "Ketamine treatment is no cure for migraine.",
            "It is important to note that ketamine therapy is not a cure.",
            "Ketamine infusions will not cure migraine.", "Ketamine infusions can cure your migraines.",
            "Ketamine infusions can fix your migraine.", "Ketamine treatment offers permanent relief from migraine.",
        ),
    ),
    Topic(
        "dose-vs-depression", 10,
        ("{v}",),
        (
            "Ketamine therapy uses a low dose of ketamine.", "The doses are given low and slow.",
            "Our protocol uses a subanesthetic dose of ketamine.", "Patients receive small doses of ketamine.",
            "Doses for migraines tend to be higher than for mood disorders.",
        ),
    ),
    Topic(
        "evidence-settledness", 6,
        ("{v}",),
        (
            "There is limited evidence for ketamine in migraine.",
            "Studies of ketamine for migraine are still relatively rare.",
            "More research is needed on ketamine for migraine.",
            "There is little evidence that ketamine helps every migraine patient.",
            "There is substantial evidence for ketamine in chronic pain.",
            "Ketamine is clinically proven to work for migraine.",
            "There is strong evidence supporting the use of ketamine for migraine.",
        ),
    ),
)
FILLERS = (
    "{name} is located in a quiet neighborhood of {town}.", "Call {name} today to schedule a consultation.",
    "{name} serves patients from {town} and the surrounding area.",
    "The team at {name} will answer all your questions.", "Our clinic is located in a quiet neighborhood.",
    "Call us today to schedule a consultation.", "Our staff will answer all your questions.",
    "We accept most major credit cards.", "Parking is available behind the building.",
    "Comfortable recliners and warm blankets are provided.", "Bring a friend or family member to drive you home.",
    "Every patient receives a personal care plan.", "Wear loose and comfortable clothing.",
    "Our nurses are trained in advanced life support.", "We work closely with your primary care physician.",
    "Read what our patients say about their experience.", "Migraine can make daily life hard.",
    "Many people have tried several medications without success.",
    "Ask your doctor whether this option is right for you.", "Our team has years of experience with migraine care.",
)
TITLES = (
    "Ketamine Infusion Therapy for Migraine", "Frequently Asked Questions", "What to Expect During Treatment",
    "Ketamine for Chronic Migraine", "Our Approach to Migraine Care", "New Patient Information",
)
# Lead-ins, some naming the page's clinic or town: sites word the same value each their own way, so most sentences
# are unique across pages (as kb's per-process sentence memo would otherwise see an unrealistic hit rate).
LEADS = (
    "At {name}, ", "Here at {name}, ", "Patients in {town} often ask us this, and ", "At our {town} office, ",
    "The doctors at {name} explain that ", "In our experience, ", "Our patients find that ", "Good news: ",
    "According to our team, ", "In short, ", "For most people, ", "As a rule, ",
)
LEAD_RATE = 0.7
SYLLABLES = ("val", "or", "en", "mar", "quin", "tes", "sol", "bra", "dey", "lon", "ver", "ash", "mel", "cor", "tri")
SUFFIXES = ("Wellness", "Health", "Medical Group", "Clinic", "Ketamine Center", "Integrative Care")
TOWN_ENDS = ("ville", "ton", " Falls", " Springs", "field", "bury")
# fmt: on
