"""Launch catgui: ``python main.py`` is the same as the ``catgui`` command."""

import sys

from catgui.cli import main

if __name__ == "__main__":
    sys.exit(main())
