import sys

from modconsole.commands.main import main

sys.exit(main())
