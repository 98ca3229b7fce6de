"""Shared fixtures: the repository, its `data/` folder, the ANAC domains
(outside the repository, named by ACCORD_ANAC_DATA) and the `accord` binary
whose `--json` output the Python results must equal."""

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# KTAB, DEU III and the project's own GENIUS-format domains ship in data/.
DATA = REPO / "data"


def _find_cli():
    env = os.environ.get("ACCORD_BIN")
    if env:
        return Path(env)
    for p in (REPO / "target" / "release" / "accord", REPO / "target" / "debug" / "accord"):
        if p.exists():
            return p
    return None


@pytest.fixture(scope="session")
def data():
    return DATA


@pytest.fixture(scope="session")
def anac():
    """The folder named by ACCORD_ANAC_DATA (holding genius/y2010, y2011,
    other); the test is skipped when it is unset or has no genius/."""
    why = "ANAC domains are GPL/AGPL and not shipped; see data/README.md"
    env = os.environ.get("ACCORD_ANAC_DATA")
    if not env:
        pytest.skip(f"ACCORD_ANAC_DATA not set ({why})")
    root = Path(env)
    if not (root / "genius").is_dir():
        pytest.skip(f"ACCORD_ANAC_DATA={root} holds no genius/ folder ({why})")
    return root


@pytest.fixture(scope="session")
def cli():
    """Runs `accord ARGS --json` and returns the parsed JSON (exit code 0 or 2)."""
    exe = _find_cli()
    if exe is None or not exe.exists():
        pytest.fail(
            "the accord binary was not found: set ACCORD_BIN or build it "
            "(cargo build -p accord-cli)"
        )

    def run(*args, expect=0):
        r = subprocess.run(
            [str(exe), *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=600
        )
        assert r.returncode == expect, r.stderr
        return r

    def run_json(*args, expect=0):
        return json.loads(run(*args, "--json", expect=expect).stdout)

    run.json = run_json
    return run


@pytest.fixture
def ctrl_c():
    """Python's own Ctrl-C handler for the test. A shell without job control
    starts its background children with SIGINT ignored, and then Python
    installs no handler, so `_thread.interrupt_main(SIGINT)` does nothing;
    the tests that press Ctrl-C this way install the handler themselves."""
    import signal

    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)
