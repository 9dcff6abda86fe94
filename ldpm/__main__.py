"""``python -m ldpm``."""

import sys

from ldpm.cli import main

sys.exit(main())
