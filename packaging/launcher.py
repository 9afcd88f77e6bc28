"""The bundle's entry point: the ``parstudio`` command, as ``python -m parstudio`` runs it."""

import sys

from parstudio.cli import main

if __name__ == "__main__":
    sys.exit(main())
