"""Allows ``python -m ensap_tui``."""

from ensap_tui.cli import main

raise SystemExit(main())
