import sys

from modconsole.cli import main

sys.exit(main())
