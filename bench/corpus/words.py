"""Word lists of the generated knowledge base (`knowledge.Generator`), shared with the `kb check` page corpus."""

from __future__ import annotations

# Data tables: kept one group per line (ruff format would put every word on a line of its own).
# fmt: off
CONDITIONS = (
    "migraine", "chronic migraine", "cluster headache", "treatment-resistant depression", "fibromyalgia",
    "complex regional pain syndrome", "PTSD", "neuropathic pain", "postoperative pain", "bipolar depression",
    "obsessive-compulsive disorder", "suicidal ideation", "phantom limb pain", "tinnitus", "chronic back pain",
    "medication-overuse headache", "trigeminal neuralgia", "generalised anxiety", "alcohol use disorder",
    "post-herpetic neuralgia",
)
TREATMENTS = (
    "ketamine infusion", "esketamine nasal spray", "lidocaine infusion", "occipital nerve block",
    "botulinum toxin injection", "magnesium infusion", "transcranial magnetic stimulation",
    "electroconvulsive therapy", "psilocybin session", "sphenopalatine ganglion block", "dihydroergotamine infusion",
    "nitrous oxide inhalation", "stellate ganglion block", "intranasal lidocaine", "oral ketamine",
)
POPULATIONS = (
    "adults", "children", "older adults", "veterans", "adolescents", "women", "outpatients", "inpatients",
    "emergency patients", "clinic patients",
)
PAGE_TOPICS = ("ketamine clinic", "pain centre", "headache clinic", "wellness spa", "infusion lounge", "health blog")
SYLLABLES = (
    "mar", "vel", "tor", "bri", "an", "ka", "lo", "ven", "sta", "quin", "rel", "dor", "mi", "sa", "thal", "bek",
    "ro", "wen", "gal", "ith", "cor", "na", "pel", "shu", "tam", "ori", "fen", "dal", "us", "ber", "kin", "zo",
)
GIVEN = ("A.", "B. K.", "C.", "D. M.", "E.", "F. J.", "G.", "H. L.", "I.", "J. R.", "K.", "L. S.", "M.", "N. T.")
FIELDS = ("Pain", "Headache", "Anaesthesia", "Psychiatry", "Neurology", "Pain Medicine", "Clinical Pharmacology")
HEDGE_WORDS = ("", "", "", "about ", "almost ", "up to ", "nearly ", "around ", "more than ", "at least ")
QUALIFIER_OF = {
    "": "exact", "about ": "about", "around ": "about", "almost ": "almost", "nearly ": "almost",
    "up to ": "up-to", "more than ": "more-than", "at least ": "at-least",
}
NUMBER_WORDS = {
    1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten",
    12: "twelve", 20: "twenty", 30: "thirty", 45: "forty-five", 60: "sixty", 61: "sixty-one", 90: "ninety",
}
RATIOS = ((1, 2), (1, 3), (2, 3), (1, 4), (3, 4), (1, 5), (2, 5), (3, 5), (4, 5), (1, 10), (9, 10))
LONG_RANGES = ((30, 100, "day"), (3, 6, "week"), (2, 4, "month"), (7, 14, "day"), (6, 12, "week"), (10, 30, "day"),
               (1, 3, "month"))
SHORT_RANGES = ((1, 2, "hour"), (40, 60, "minute"), (4, 8, "hour"), (30, 45, "minute"), (2, 3, "hour"))
VERBS = ("improved", "responded", "reported relief", "had fewer attacks", "went into remission", "felt better")
STANCES = ("not-addictive", "safe", "unsafe", "effective", "ineffective", "well-tolerated", "addictive")
STANCE_TEXT = {
    "not-addictive": "is not addictive", "safe": "is safe", "unsafe": "is not safe", "effective": "works",
    "ineffective": "does not work", "well-tolerated": "is well tolerated", "addictive": "can be addictive",
}
VERDICTS = ("accurate", "accurate", "overstated", "understated", "misattributed", "misquoted", "unsupported",
            "contradicted")
NOTES = (
    "The page rounds the figure up.", "The study was smaller than the page suggests.",
    "No source gives this figure.", "The source says the opposite.", "Matches the source.",
    "The page credits the wrong institution.", "The quote drops the study's hedge.",
)
PAGE_LEADS = ("", "Our patients know that ", "Research shows ", "Many people ask us. ", "In short, ", "Good news: ")
CAVEATS = ("retrospective and uncontrolled", "single centre", "small sample", "industry funded", "short follow-up")
SOURCE_TYPES = ("article-journal", "article-journal", "article-journal", "report", "webpage", "paper-conference")
DESIGNS = (
    "systematic-review-of-rcts", "systematic-review-of-observational", "rct", "prospective-cohort",
    "retrospective-cohort", "case-series", "consensus-guideline", "narrative-review", "expert-opinion",
    "conference-abstract", "press-release", "news-article", "organisation-fact-sheet",
)
REPORTING = ("conference-abstract", "press-release", "news-article")
STUDIES = ("rct", "prospective-cohort", "retrospective-cohort", "case-series")
VERIFIED = {"issued": "synthetic benchmark data"}

# measure -> (subject label template, kind, dimension)
MEASURES: dict[str, tuple[str, str, str | None]] = {
    "response-rate": ("share of {pop} with {cond} who respond to {treat}", "quantity", "percent"),
    "remission-rate": ("share of {pop} with {cond} in remission after {treat}", "quantity", "percent"),
    "relief-duration": ("how long relief from {treat} lasts in {pop} with {cond}", "quantity", "time"),
    "session-length": ("length of one {treat} session for {pop} with {cond}", "quantity", "time"),
    "course-size": ("number of {treat} sessions in a course for {cond} in {pop}", "quantity", "count"),
    "study-size": ("{pop} with {cond} treated with {treat} in one study", "quantity", "count"),
    "session-price": ("price of one {treat} session for {cond} in {pop}", "quantity", "money"),
    "safety": ("whether {treat} is safe for {pop} with {cond}", "stance", None),
    "addiction": ("addiction potential of {treat} in {pop} with {cond}", "stance", None),
    "first-use": ("who first used {treat} for {cond} in {pop}", "entity", None),
}
# fmt: on
