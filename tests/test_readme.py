"""Following the README leaves the repository clean: its commands write only to ignored paths.

Every ``dealopt`` command of the README's bash blocks runs, in order, through the installed
console script inside a fresh clone of the repository; then ``git status`` must show nothing.
Regenerating a committed results folder must give it back byte for byte. The other commands of
those blocks (making a virtual environment, installing, the test suite, lint, the benchmark) are
left out: they are not examples of dealopt.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DEALOPT = re.compile(r"^(?:\S*/)?dealopt$")  # `dealopt` or `.venv/bin/dealopt`


def readme_commands(text: str) -> list[list[str]]:
    """The argv (after the program) of every dealopt command in the bash blocks of ``text``, in order."""
    commands = []
    for block in re.findall(r"^```bash\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE):
        for line in block.splitlines():
            for part in line.split("&&"):
                words = shlex.split(part, comments=True)
                if words and DEALOPT.match(words[0]):
                    commands.append(words[1:])
    return commands


def test_the_commands_are_read_from_every_bash_block_in_order():
    text = (
        "```bash\npython3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/dealopt solve a.yaml\n```\n"
        "```python\ndealopt solve not_bash.yaml\n```\n"
        "```bash\ndealopt init x   # writes x.yaml\n.venv/bin/python -m pytest\ndealopt review 'a b'\n```\n"
    )
    assert readme_commands(text) == [["solve", "a.yaml"], ["init", "x"], ["review", "a b"]]


@pytest.mark.e2e  # about 15 s: in the default run, so that CI checks it
def test_following_the_readme_leaves_the_repository_clean(tmp_path, console_script):
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and the repository's git checkout")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    commands = readme_commands(README.read_text(encoding="utf-8"))
    assert ["init", "my_talks"] in commands and ["reference"] in commands  # the extraction found the examples
    for command in commands:
        done = subprocess.run([*console_script, *command], cwd=clone, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, (command, done.stderr)
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"], cwd=clone, capture_output=True, text=True, check=True
    )
    assert status.stdout == "", f"the README's commands changed or left files in the repository:\n{status.stdout}"
