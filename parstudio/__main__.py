"""``python -m parstudio`` runs the command line."""

import sys

from parstudio.cli import main

sys.exit(main())
