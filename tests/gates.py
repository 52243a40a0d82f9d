"""Tools the quality gates need beyond Python: Chromium, Java and the npm test packages.

Locally a missing tool skips its gate with a reason; CI sets NEWSROOM_STRICT_GATES=1 so a
missing tool fails the run instead of silently skipping it.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
JAVA = shutil.which("java")
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = Path(os.environ.get("NEWSROOM_ARTIFACTS", ROOT / "artifacts"))


def require(condition, what):
    """Skip (locally) or fail (CI) when a gate's tool is missing."""
    if condition:
        return
    message = f"{what} is not installed; run .ci/run or see README"
    if os.environ.get("NEWSROOM_STRICT_GATES") == "1":
        pytest.fail(message)
    pytest.skip(message)
