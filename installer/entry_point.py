"""The frozen executables' entry: the same ``main()`` as the ``gocong-desktop``
command (PyInstaller needs a script, and ``gocong_desktop/__main__.py`` uses a
relative import that a top-level script cannot)."""

import sys

from gocong_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
