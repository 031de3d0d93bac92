"""The thread-leak policy in conftest.py really fails a test that leaks a thread."""

from __future__ import annotations

from pathlib import Path

pytest_plugins = ["pytester"]


def test_a_test_that_leaks_a_thread_is_reported(pytester) -> None:  # type: ignore[no-untyped-def]
    pytester.makeconftest((Path(__file__).parent / "conftest.py").read_text(encoding="utf-8"))
    pytester.makepyfile(
        """
        import threading

        stop = threading.Event()

        def test_leaks():
            threading.Thread(target=stop.wait, args=(3,), name="leaky", daemon=True).start()

        def test_joins():
            t = threading.Thread(target=stop.wait, args=(0.01,))
            t.start()
            t.join()
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*left threads running*leaky*"])
