"""Tables, the GIL, Ctrl-C."""

import _thread
import signal
import sys
import threading
import time

import pytest

import accord


def test_to_pandas_frames():
    pd = pytest.importorskip("pandas")
    a = accord.analyze(accord.load_bundled("sale"))
    df = a.to_pandas("pareto")
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(a["pareto"])
    assert "index" in df.columns
    assert {f"utilities.{x}" for x in a["disagreement"]} <= set(df.columns)
    ws = a.to_pandas("win_sets")
    assert list(ws["actor"]) == [w["actor"] for w in a["win_sets"]]
    rel = accord.analyze(accord.load_bundled("triad")).to_pandas("relaxations")
    assert list(rel["zopa_size"])[0] == 12
    with pytest.raises(KeyError):
        a.to_pandas("nope")


def test_to_pandas_without_pandas_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    a = accord.analyze(accord.load_bundled("sale"))
    with pytest.raises(ImportError, match="pip install pandas"):
        a.to_pandas("pareto")


def test_analysis_releases_the_gil():
    sc = accord.flagship()
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.005)

    t = threading.Thread(target=tick)
    t.start()
    start = time.perf_counter()
    accord.analyze(sc)
    elapsed = time.perf_counter() - start
    stop.set()
    t.join()
    # The ticking thread ran throughout the analysis, not just after it.
    assert len(ticks) >= max(5, 0.2 * elapsed / 0.005), (len(ticks), elapsed)


@pytest.mark.skipif(sys.version_info < (3, 10), reason="interrupt_main(signum) needs 3.10")
def test_ctrl_c_interrupts_a_long_analysis(ctrl_c):
    sc = accord.flagship()
    t0 = time.perf_counter()
    accord.analyze(sc)
    full = time.perf_counter() - t0
    timer = threading.Timer(0.1 * full, lambda: _thread.interrupt_main(signal.SIGINT))
    timer.start()
    start = time.perf_counter()
    with pytest.raises(KeyboardInterrupt):
        accord.analyze(sc)
        time.sleep(5)  # if the run finished first, the interrupt lands here: fail below
    stopped = time.perf_counter() - start
    timer.join()
    assert stopped < 0.6 * full + 0.2, (stopped, full)


# The flagship answers in well under a second, so the child runs it several
# times: the signal lands inside one of the runs (between them Python spends
# microseconds), and the time printed is that run's.
CHILD = """
import sys, time, accord
sc = accord.flagship()
print("ready", flush=True)
try:
    for _ in range(20):
        t = time.perf_counter()
        accord.analyze(sc)
    print("finished", flush=True)
except KeyboardInterrupt:
    print("interrupted", round(time.perf_counter() - t, 3), flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_real_sigint_stops_the_engine():
    import subprocess

    p = subprocess.Popen(
        [sys.executable, "-c", CHILD],
        stdout=subprocess.PIPE,
        text=True,
        # A background CI shell may start children with SIGINT ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert p.stdout.readline().strip() == "ready"
    time.sleep(0.3)
    p.send_signal(signal.SIGINT)
    out, _ = p.communicate(timeout=120)
    assert p.returncode == 0
    word, *secs = out.split()
    assert word == "interrupted", out
    assert float(secs[0]) < 1.5
