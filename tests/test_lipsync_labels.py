"""Viseme label TSVs, per-frame labels on the 10 ms grid, and viseme-weight CSVs."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from studio.errors import InputError
from studio.lipsync.features import frame_centres
from studio.lipsync.labels import (
    frame_count,
    frame_labels,
    read_labels_tsv,
    read_viseme_csv,
    write_labels_tsv,
    write_viseme_csv,
)
from studio.lipsync.visemes import VISEME_INDEX, VISEMES, VisemeTiming

HEADER = "start\tend\tviseme\n"


def spans(*items: tuple[str, float, float]) -> list[VisemeTiming]:
    return [VisemeTiming(v, s, e) for v, s, e in items]


def names(labels: np.ndarray) -> list[str]:
    return [VISEMES[i] for i in labels]


def test_tsv_round_trip(tmp_path: Path) -> None:
    original = spans(("sil", 0.0, 0.012), ("PP", 0.012, 0.05), ("aa", 0.05, 0.185), ("ih", 0.185, 0.2754321))
    path = tmp_path / "deep" / "clip.tsv"
    write_labels_tsv(path, original)
    text = path.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "start\tend\tviseme"
    assert text.splitlines()[1] == "0\t0.012\tsil"
    back = read_labels_tsv(path)
    assert [(s.viseme, s.start, s.end) for s in back] == [(s.viseme, s.start, s.end) for s in original]
    assert not list(tmp_path.rglob("*.partial*"))  # the atomic writer cleaned up


def test_tsv_tolerates_crlf_bom_blank_lines_and_gaps(tmp_path: Path) -> None:
    path = tmp_path / "windows.tsv"
    path.write_bytes("\ufeffstart\tend\tviseme\r\n0\t0.1\tsil\r\n\r\n0.2\t0.3\tE\r\n".encode())
    assert [(s.viseme, s.start, s.end) for s in read_labels_tsv(path)] == [("sil", 0.0, 0.1), ("E", 0.2, 0.3)]
    only_header = tmp_path / "empty.tsv"
    only_header.write_text(HEADER, encoding="utf-8")
    assert read_labels_tsv(only_header) == []


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("", 1, "header"),
        ("0\t0.1\tsil\n", 1, "header"),
        ("start,end,viseme\n0,0.1,sil\n", 1, "header"),
        (HEADER + "0\t0.1\tsil\n0.1\t0.2\tAA\n", 3, "unknown viseme 'AA'"),
        (HEADER + "zero\t0.1\tsil\n", 2, "start 'zero' is not a time"),
        (HEADER + "0\tnan\tsil\n", 2, "end 'nan' is not a time"),
        (HEADER + "-0.5\t0.1\tsil\n", 2, "not a time"),
        (HEADER + "0\t0.1\tsil\n0.3\t0.2\tPP\n", 3, "ends (0.2 s) before it starts (0.3 s)"),
        (HEADER + "0\t0.1\tsil\n0.1\t0.3\tPP\n0.25\t0.4\taa\n", 4, "before the previous one ends at 0.3 s"),
        (HEADER + "0\t0.1\n", 2, "expected 3 tab-separated fields, found 2"),
        (HEADER + "0 0.1 sil\n", 2, "found 1"),
    ],
)
def test_malformed_tsv_names_file_line_and_fix(tmp_path: Path, body: str, line: int, words: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_labels_tsv(path)
    message = info.value.problem
    assert str(path) in message and f"line {line}:" in message and words in message
    assert info.value.hint  # says what to do


def test_missing_tsv_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        read_labels_tsv(tmp_path / "nope.tsv")


def test_writer_refuses_what_the_reader_would_refuse(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        write_labels_tsv(tmp_path / "x.tsv", spans(("xx", 0.0, 0.1)))
    with pytest.raises(ValueError):
        write_labels_tsv(tmp_path / "x.tsv", spans(("aa", 0.2, 0.1)))
    assert not (tmp_path / "x.tsv").exists()


def test_frame_count_is_ceil_of_samples_over_160() -> None:
    assert [frame_count(n) for n in (0, 1, 159, 160, 161, 16000, 16001)] == [0, 1, 1, 1, 2, 100, 101]
    assert frame_count(22050, 22050) == 100 and frame_count(22051, 22050) == 101
    assert frame_centres(3) == pytest.approx([0.005, 0.015, 0.025])


def test_frame_labels_take_the_span_holding_each_centre() -> None:
    labels = frame_labels(
        # 0.015 and 0.035 are exactly frame 1's and frame 3's centres: the later span owns them
        spans(("sil", 0.0, 0.015), ("PP", 0.015, 0.035), ("aa", 0.035, 0.06), ("E", 0.08, 0.1)),
        12,
    )
    assert labels.dtype.kind == "i"
    assert names(labels) == ["sil", "PP", "PP", "aa", "aa", "aa", "sil", "sil", "E", "E", "sil", "sil"]


def test_frame_labels_edge_cases() -> None:
    # a span holding no frame centre leaves no frame
    assert names(frame_labels(spans(("PP", 0.016, 0.024)), 4)) == ["sil"] * 4
    # spans past the requested frames are cut off; an empty grid is fine
    assert names(frame_labels(spans(("ou", 0.0, 1.0)), 3)) == ["ou"] * 3
    assert frame_labels(spans(("ou", 0.0, 1.0)), 0).shape == (0,)
    # boundaries just off the centre by float noise still land on it
    assert names(frame_labels(spans(("sil", 0.0, 0.1 + 0.2 - 0.3 + 0.015), ("kk", 0.015, 0.05)), 3)) == [
        "sil",
        "kk",
        "kk",
    ]


def test_viseme_csv_header_time_and_exact_row_sums(tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    weights = rng.dirichlet(np.full(len(VISEMES), 0.3), size=40)
    weights[0] = 1.0 / len(VISEMES)  # 15 x 0.0667 rounds to 1.0005: the largest absorbs it
    weights[1] = np.eye(len(VISEMES))[VISEME_INDEX["PP"]]
    path = tmp_path / "out" / "clip.csv"
    write_viseme_csv(path, weights.astype(np.float32))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "t,sil,PP,FF,TH,DD,kk,CH,SS,nn,RR,aa,E,ih,oh,ou"
    assert len(lines) == 41
    assert [line.split(",")[0] for line in lines[1:4]] == ["0.005", "0.015", "0.025"]
    assert lines[-1].split(",")[0] == "0.395"
    for line in lines[1:]:
        cells = line.split(",")[1:]
        assert all(len(c.split(".")[1]) == 4 for c in cells)
        assert sum(Decimal(c) for c in cells) == Decimal(1)
    assert lines[1].split(",")[1:3] == ["0.0662", "0.0667"]
    assert lines[2].split(",")[1:3] == ["0.0000", "1.0000"]
    back = read_viseme_csv(path)
    assert back.shape == weights.shape
    assert np.abs(back - weights).max() <= 0.0005 + 0.0008
    np.testing.assert_allclose(back.sum(axis=1), 1.0, atol=1e-9)


def test_viseme_csv_renormalises_and_rejects_nonsense(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    write_viseme_csv(path, np.full((2, len(VISEMES)), 2.0))  # unnormalised softmax drift
    np.testing.assert_allclose(read_viseme_csv(path).sum(axis=1), 1.0)
    for bad in (np.zeros((2, 15)), np.full((2, 15), np.nan), -np.eye(15)[:2], np.ones((2, 14))):
        with pytest.raises(ValueError):
            write_viseme_csv(tmp_path / "bad.csv", bad)
    assert not (tmp_path / "bad.csv").exists()
    write_viseme_csv(path, np.zeros((0, len(VISEMES))))
    assert read_viseme_csv(path).shape == (0, len(VISEMES))


def test_reading_a_foreign_csv_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "w.csv"
    path.write_text("t,a,b\n0.005,0.5,0.5\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1"):
        read_viseme_csv(path)
    row = ",".join(["1.0000"] + ["0.0000"] * 14)
    path.write_text(f"t,{','.join(VISEMES)}\n0.005,{row}\n0.020,{row}\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 3.*frame centre 0.015"):
        read_viseme_csv(path)
