"""When a source's figure backs a page's figure (kb.check.rules.statistic.agrees): each bound of a range on its own
scale, open bounds never close to a finite one."""

from __future__ import annotations

from kb.check.rules.statistic import agrees
from kb.text.quantities import Quantity, extract


def _one(text: str) -> Quantity:
    (quantity,) = extract(text)
    return quantity


def test_the_same_range_agrees_and_a_low_bound_far_off_does_not() -> None:
    assert agrees(_one("0.5 to 5 mg"), _one("0.5-5 mg"))
    # 0.3 is not 0.5 because both ranges end at 5: each bound is compared on its own scale
    assert not agrees(_one("0.3 to 5 mg"), _one("0.5-5 mg"))
    assert agrees(_one("1.02 to 3 mg"), _one("1 to 3 mg"))


def test_an_open_bound_backs_only_the_same_bound() -> None:
    more_than_five = _one("more than 5 mg")
    assert agrees(_one("over 5 mg"), more_than_five)
    assert not agrees(_one("5 mg"), more_than_five)
