"""``python -m imsskg``: the command line."""

from imsskg.cli import app

app(prog_name="imsskg")
