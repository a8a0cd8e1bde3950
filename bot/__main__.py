"""`python -m bot` is the `kompetencebot` command."""

import sys

from bot.cli import main

sys.exit(main())
