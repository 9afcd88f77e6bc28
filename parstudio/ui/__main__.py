"""``python -m parstudio.ui [database]``: open PAR Studio's window."""

import sys

from parstudio.ui.shell.app import run_app

raise SystemExit(run_app(sys.argv[1] if len(sys.argv) > 1 else None))
