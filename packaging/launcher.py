"""The bundle's entry point: the ``parstudio`` command, as ``python -m parstudio`` runs it."""

import multiprocessing
import sys

from parstudio.cli import main

if __name__ == "__main__":
    # A what-if replays in worker processes started as this executable ("spawn"): they must
    # run the worker, not the command line.
    multiprocessing.freeze_support()
    sys.exit(main())
