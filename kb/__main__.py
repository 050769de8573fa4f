from __future__ import annotations

from kb.entry import main

main()
