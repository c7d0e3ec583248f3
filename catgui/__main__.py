"""``python -m catgui``: the same as the ``catgui`` command (and ``python main.py``)."""

from __future__ import annotations

import sys

from catgui.cli import main

if __name__ == "__main__":
    sys.exit(main())
