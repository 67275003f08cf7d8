"""Allow ``python -m tongjia_xls``."""

from __future__ import annotations

from tongjia_xls.cli import main

if __name__ == "__main__":
    main()
