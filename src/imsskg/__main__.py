"""``python -m imsskg``: the command line."""

from imsskg.cli import run

run()
