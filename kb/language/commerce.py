"""Figures of the shop, not of the evidence: prices of an offer, discounts, shipping, pack contents and strengths,
ratings, read times, a firm's years in business and a person's career ("Save 20% today", "Each bottle contains 60
gummies", "Rated 4.8 out of 5 stars", "over 20 years of experience", "comes in 1 mg and 3 mg tablets"). A reviewer
checks health statistics; these are no claim about health, so `unverified-statistic` leaves them alone. A figure
of what a product does ("90% of customers slept better") is still a statistic: only the words right around the
figure decide."""

from __future__ import annotations

import re
from functools import cache

# Words just before the figure: the offer, the pack, the rating, the article's own metadata.
_BEFORE = (
    r"(?:\b(?:save|saving|discount of|orders? (?:of |over |above )?|shipping (?:on |over )?(?:orders? )?(?:over )?|"
    r"spend|rated|rating of|read(?:ing)? time:?|serving size:?|servings per \w+:?|"
    r"(?:bottle|jar|pack|box|container|package|tub) (?:contains|holds|has)|pack of|bottle of|box of|price:?|"
    r"(?:comes?|available|sold|offered) in(?: (?:strengths|doses) of)?)\s*\$?)$"
    # a person's career ("has worked in sleep research for 20 years"): no claim about health
    r"|\b(?:worked|practi[cs]ed|practi[cs]ing|speciali[sz]ed|speciali[sz]ing|trained)\b[^.;:]{0,40}\bfor\s*$"
    # the editors' own work ("We spent 40 hours researching and testing 25 products") and a pack's price ("$8 for")
    r"|\b(?:we|our (?:team|editors|experts|testers|staff))\b[^.;:]{0,60}\b(?:spent|tested|testing|tried|trying|"
    r"reviewed|reviewing|researched|researching|evaluated|evaluating|compared|comparing|analy[sz]ed|analy[sz]ing)"
    r"\s*$|\$\d[\d.,]*\s+for\s*$"
)
# Words just after it: "10% off", "4.8 stars", "60 gummies per bottle", "20 years of experience", "50 states".
_AFTER = (
    r"^\s*(?:off\b|discount|stars?\b|out of (?:5|five|10|ten)\b(?:\s+stars?)?|per (?:bottle|box|pack|jar|container|"
    r"package|order)\b|(?:\w+\s+)?(?:in|per) (?:each |every |a )?(?:bottle|box|pack|jar|container|package)\b|"
    r"(?:years? )?of (?:experience|combined experience|service|practice)\b|(?:years? )?in business\b|(?:of )?(?:our )?"
    r"(?:customers?|reviews?|ratings?) (?:rate|rated|give|gave|love)\b|reviews?\b|ratings?\b|states\b|countries\b|"
    r"locations\b|minutes? read\b|min read\b|for \d+ (?:tablets|gummies|capsules|softgels|pills|servings|count)\b)"
)
# A lead time for a visit: "Have an appointment at the clinic at least one day before your first session".
_VISIT = r"\b(?:appointments?|visits?|consultations?|check-in|paperwork|arrive|arrival)\b"
_LEAD = r"^\s*(?:before|prior to|ahead of|in advance)\b"


_LISTED_BEFORE = re.compile(r"(?:\d[\d.,]*\s*[^\s,]{0,12}\s*(?:,|\band\b|\bor\b|/)\s*)+$")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    """Compiled on first use: only a figure no source gives is asked about (a few ms a process otherwise)."""
    return tuple(re.compile(pattern, re.IGNORECASE) for pattern in (_BEFORE, _AFTER, _VISIT, _LEAD))


def commercial(before: str, after: str) -> bool:
    """The figure whose page words are followed by `after` and preceded by `before` belongs to an offer or a pack,
    a rating, the page's own metadata, or the arrangements of a visit."""
    shop_before, shop_after, visit, lead = _patterns()
    lead_in = _LISTED_BEFORE.sub("", before[-80:])  # "comes in 1 mg, 3 mg and 5 mg": the list shares its lead-in
    if shop_before.search(lead_in) or shop_after.match(after[:40]):
        return True
    return bool(lead.match(after) and visit.search(before + after))
