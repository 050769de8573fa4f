"""Accuracy of kb check and kb contradictions on the labelled corpus (bench/keys/, ../shared/corpus/)."""
