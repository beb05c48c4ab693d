"""Entry script of the frozen app: exactly ``modconsole.commands.main:main``."""

import multiprocessing
import sys

from modconsole.commands.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless without multiprocessing; required on Windows with it
    sys.exit(main())
