"""Figures of the shop (offers, packs, ratings, page metadata) are told apart from figures of the evidence."""

from __future__ import annotations

import pytest

from kb.language.commerce import commercial


@pytest.mark.parametrize(
    ("before", "figure", "after"),
    [
        ("Free shipping on all orders over ", "$50", "."),
        ("Save ", "20%", " when you subscribe today."),
        ("Use code SLEEP10 for ", "10%", " off your first order."),
        ("Each bottle contains ", "60 gummies", "."),
        ("Rated ", "4.8", " out of 5 stars."),
        ("Read time: ", "5 minutes", "."),
        ("Our team has ", "over 20 years", " of experience."),
        ("We ship to all ", "50", " states."),
        ("Have an appointment at the clinic ", "at least one day", " before your first session."),
        ("Melatonin comes in ", "1 mg", ", 3 mg and 5 mg tablets."),
        ("Melatonin comes in 1 mg, 3 mg and ", "5 mg", " tablets."),  # a list shares its lead-in
        ("The lead author has worked in sleep research for ", "20 years", "."),
        ("We spent ", "40 hours", " researching and testing 25 products."),
        ("We spent 40 hours researching and testing ", "25 products", " to find the best."),
        ("At just ", "$8", " for 120 tablets, this is an excellent value."),
        ("At just $8 for ", "120 tablets", ", this is an excellent value."),
    ],
)
def test_figures_of_an_offer_a_pack_or_a_rating_are_commercial(before: str, figure: str, after: str) -> None:
    assert commercial(before, after), figure


@pytest.mark.parametrize(
    ("before", "figure", "after"),
    [
        ("Fall asleep in just ", "5 minutes", "."),
        ("Each gummy contains ", "5 mg", " of melatonin."),
        ("", "90%", " of our customers slept better in the first week."),
        ("It cut the time to fall asleep by ", "20%", " in one trial."),
        ("Take ", "0.5 to 1 mg", " about an hour before bed."),
        ("Take it ", "30 minutes", " before bed."),
        ("Symptoms eased for ", "20 years", " after treatment."),
        ("Doses of 1 mg and ", "3 mg", " were tested."),
        ("In the trial, researchers tested ", "3 mg", " against placebo."),  # not the editors' own tests
    ],
)
def test_figures_of_what_a_product_does_are_not(before: str, figure: str, after: str) -> None:
    assert not commercial(before, after), figure
