"""`python -m powerwords` runs the same command as `powerwords`."""

import sys

from .cli import main

sys.exit(main())
