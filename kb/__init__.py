"""kb: an evidence-claims knowledge base with citations."""

from __future__ import annotations

__version__ = "0.1.0"
