"""The status line an operator watches while live."""

from __future__ import annotations

from studio.live.stats import StatsRecorder


def test_the_status_line_says_what_an_operator_needs() -> None:
    stats = StatsRecorder()
    for i in range(57):
        stats.shown(
            i * 1600, av_error_ms=1.0, late=i == 3, latency_ms=110.0 + i % 3, saying="segment 2 Serum"
        )
    stats.skip()
    stats.interjection(512.0)
    status = stats.snapshot(
        3725.0,
        "lip sync: model on CPUExecutionProvider",
        {"record": "running", "rtmp": "reconnecting in 4 s"},
    )
    assert (status.frames, status.late, status.skipped) == (57, 2, 1)
    assert status.late_percent == 100 * 2 / 58
    line = status.line()
    for part in (
        "1:02:05", "late 2 (3.45%)", "A/V +1 ms", "mic→frame 111 ms", "interjection 512 ms",
        "lip sync: model on CPUExecutionProvider", "record running", "rtmp reconnecting in 4 s",
        "segment 2 Serum",
    ):  # fmt: skip
        assert part in line, (part, line)
    assert status.fps == 57.0  # all shown within the last second
    short = stats.snapshot(2.0, "lip sync: phonemes", {})
    assert short.line(final=True).split(" | ")[1].strip() == "29.0 fps"  # 58 frames in 2 s of show


def test_a_long_line_of_speech_is_shortened() -> None:
    stats = StatsRecorder()
    stats.shown(0, 0.0, False, None, "interjection: " + "very " * 20 + "long")
    line = stats.snapshot(1.0, "lip sync: phonemes", {}).line()
    assert line.endswith("…") and "mic→frame" not in line and "interjection" in line


def test_output_trouble_is_reported_once_and_so_is_the_recovery(capsys) -> None:  # noqa: ANN001
    from studio.cli.live_cmd import _report_outputs

    seen: dict[str, str] = {}
    for states in (
        {"rtmp": "connecting to rtmp://host/live/ke****", "audio": "running"},
        {"rtmp": "reconnecting in 1 s (attempt 1): Connection refused", "audio": "running"},
        {
            "rtmp": "reconnecting in 2 s (attempt 2): Connection refused",
            "audio": "stalled: no sound taken for 1 s",
        },
        {"rtmp": "connecting to rtmp://host/live/ke****", "audio": "stalled: no sound taken for 2 s"},
        {"rtmp": "running", "audio": "running"},
        {"rtmp": "running", "audio": "running"},
    ):
        seen = _report_outputs(states, seen)
    lines = [line for line in capsys.readouterr().err.splitlines() if line]
    assert lines == [
        "studio: warning: rtmp reconnecting in 1 s (attempt 1): Connection refused",
        "studio: warning: rtmp reconnecting in 2 s (attempt 2): Connection refused",
        "studio: warning: audio stalled: no sound taken for 1 s",
        "studio: rtmp running again",
        "studio: audio running again",
    ]
