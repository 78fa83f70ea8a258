"""Runs a check script under the system Python (the one LibreOffice's UNO bridge loads), which
starts soffice itself: in its own process group, stopped gently on a timeout and killed with the
soffice whose process id it wrote to WORK/soffice.pid. Shared by test_ipa.py (uno_check.py) and
test_oxt.py (oxt_check.py).
"""
import os
import signal
import subprocess
from pathlib import Path

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"


def kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def run(script, args, work, timeout, env=None):
    """(returncode, stdout, stderr) of `SYSTEM_PYTHON script args…`; fails the test on a timeout."""
    cmd = [SYSTEM_PYTHON, str(script), *map(str, args)]
    # Its own process group; soffice gets another one, whose id the script writes to a file.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd="/", env=env, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)  # lets the script stop soffice itself
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            kill_group(proc.pid)
            out, err = proc.communicate()
        pytest.fail(f"{Path(script).name} timed out after {timeout} s: {err[-2000:]}")
    finally:
        if proc.poll() is None:
            kill_group(proc.pid)
            proc.wait()
        pid = Path(work) / "soffice.pid"
        if pid.exists():
            kill_group(int(pid.read_text()))
    return proc.returncode, out, err
