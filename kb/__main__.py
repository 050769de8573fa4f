from __future__ import annotations

from kb.cli import main

main()
