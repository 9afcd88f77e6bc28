"""``python -m parstudio.cli`` runs the command line."""

import sys

from parstudio.cli import main

sys.exit(main())
