from __future__ import annotations

from kb.cli.main import main

main()
