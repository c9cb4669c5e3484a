import sys

from gocong_desktop.cli import main

sys.exit(main())
