"""``python -m optimizer`` runs the dealopt command line."""

from .cli import run

run()
