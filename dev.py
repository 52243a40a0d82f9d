#!/usr/bin/env python3
"""Set up and run the newsroom on a machine that has only Python 3.11.

    python3 dev.py serve    # virtualenv, migrations, demo content, site on :8000
    python3 dev.py test     # virtualenv with test tools, then the whole test suite
    python3 dev.py lint     # ruff, pending migrations, system checks

Extra arguments after `test` go to pytest; after `serve`, an address such as 0.0.0.0:8000.
The virtualenv lives in .venv and is refreshed whenever pyproject.toml changes.
"""

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / "bin" / "python"


def run(*args, env=None):
    print("+", " ".join(str(arg) for arg in args), flush=True)
    subprocess.run([str(arg) for arg in args], cwd=ROOT, check=True, env=env)


def requirements(extras):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = list(project["dependencies"])
    for extra in extras:
        pins += project["optional-dependencies"][extra]
    return pins


def ensure_venv(extras=()):
    """Create .venv and install the pinned packages, unless they are already there."""
    if sys.version_info[:2] != (3, 11):
        sys.exit(f"The newsroom needs Python 3.11; this is {sys.version.split()[0]}.")
    pins = requirements(extras)
    stamp = VENV / f".stamp-{'-'.join(extras) or 'base'}"
    digest = hashlib.sha256("\n".join(pins).encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    if not PYTHON.exists():
        print(f"Creating a virtualenv in {VENV}", flush=True)
        venv.create(VENV, with_pip=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", *pins)
    stamp.write_text(digest)


def serve(args):
    ensure_venv()
    env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
    run(PYTHON, "manage.py", "migrate", "--no-input", env=env)
    run(PYTHON, "manage.py", "seed_demo", env=env)
    run(PYTHON, "manage.py", "runserver", *(args or ["127.0.0.1:8000"]), env=env)


def test(args):
    ensure_venv(["dev"])
    run(PYTHON, "-m", "pytest", *args)


def lint(args):
    ensure_venv(["dev"])
    run(PYTHON, "-m", "ruff", "check", ".")
    run(PYTHON, "-m", "ruff", "format", "--check", ".")
    run(PYTHON, "manage.py", "makemigrations", "--check", "--dry-run")
    run(PYTHON, "manage.py", "check")


COMMANDS = {"serve": serve, "test": test, "lint": lint}


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(__doc__)
    try:
        COMMANDS[sys.argv[1]](sys.argv[2:])
    except subprocess.CalledProcessError as error:
        sys.exit(error.returncode)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
