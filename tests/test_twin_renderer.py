"""The twin renderer on a twin built from real footage (franck)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest

from studio.lipsync.visemes import VISEME_POSES
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.twin import plan as P
from studio.twin.compose import carry, destination
from studio.twin.data import TwinData
from studio.twin.idle_frames import IdleFrames
from studio.twin.planner import TwinPlanner
from studio.twin.renderer import TwinRenderer, twin_renderers

pytest_plugins = ["twin_fixtures"]

SETTINGS = RenderSettings(1280, 720)
INNER_LIPS = (13, 14, 78, 308)


def _frames(franck_twin: TwinData) -> IdleFrames:
    return IdleFrames(franck_twin.idle.video, len(franck_twin.idle))


@pytest.fixture
def renderer(franck_twin: TwinData) -> TwinRenderer:
    return TwinRenderer(franck_twin, SETTINGS, _frames(franck_twin))


def _held(franck_twin: TwinData, name: str, frames: int) -> np.ndarray:
    track = np.array([VISEME_POSES[name]] * frames, np.float32)
    return TwinPlanner(franck_twin).plan_track(track)


def _mouth_box(franck_twin: TwinData, loop_frame: int) -> tuple[slice, slice]:
    """The idle frame's mouth, from its nose base to below its chin, cheek to cheek."""
    lm = franck_twin.idle.landmarks[loop_frame, :, :2]
    left, right = lm[61], lm[291]
    half = float(np.linalg.norm(right - left))
    top, bottom = lm[164, 1], lm[152, 1] + 0.3 * half
    cx = (left[0] + right[0]) / 2
    return slice(int(top), int(bottom)), slice(int(cx - half), int(cx + half))


def _luma(image: np.ndarray) -> np.ndarray:
    return np.asarray(image.astype(np.float32) @ np.array([0.299, 0.587, 0.114], np.float32))


def test_a_frame_has_the_output_size_and_the_label(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    plans = _held(franck_twin, "aa", 3)
    out = renderer.render(2, plans[2])
    assert out.shape == (720, 1280, 3) and out.dtype == np.uint8
    unlabelled = dataclasses.replace(SETTINGS, label=LabelSettings(enabled=False))
    bare = TwinRenderer(franck_twin, unlabelled, renderer.parts.frames).render(2, plans[2])
    x0, y0, x1, y1 = renderer.label.box
    differs = np.any(out != bare, axis=2)
    assert differs[y0:y1, x0:x1].mean() > 0.3  # the label is there ...
    differs[y0:y1, x0:x1] = False
    assert not differs.any()  # ... and nothing else differs


def test_silence_shows_the_idle_frame_s_own_mouth(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    silent_plans = _held(franck_twin, "sil", 10)
    assert np.all(silent_plans[:, P.FACE] == 0.0)
    frames = renderer.parts.frames
    for i in range(10):
        idle = np.asarray(frames.get(renderer.loop_frame(i)))
        for mouth in (silent_plans[i], np.zeros(5, np.float32), np.array(VISEME_POSES["sil"], np.float32)):
            composed = renderer.compose(i, mouth)
            rows, cols = _mouth_box(franck_twin, renderer.loop_frame(i))
            # The decoded idle frame itself: held silence neither moves nor repaints the mouth.
            assert np.array_equal(composed[rows, cols], idle[rows, cols])
    # And the framed picture is the framed idle frame.
    assert np.array_equal(renderer.render(3, silent_plans[3]), renderer.render(3, np.zeros(5, np.float32)))


def test_an_open_mouth_opens_the_mouth(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    plans = _held(franck_twin, "aa", 6)
    i = 5
    rows, cols = _mouth_box(franck_twin, i)
    rest = _luma(renderer.compose(i, np.zeros(5, np.float32))[rows, cols])
    aa = _luma(renderer.compose(i, plans[i])[rows, cols])
    assert np.abs(aa - rest).mean() > 8.0  # the mouth region changes strongly (franck: 16-17)
    # The inside of the mouth shows: between the corners, from the nose to the chin, the dark
    # end of the picture gets darker (franck, who never opens wide: 5-9 grey levels).
    lm = franck_twin.idle.landmarks[i, :, :2]
    lips = (slice(int(lm[164, 1]), int(lm[152, 1])), slice(int(lm[61, 0]), int(lm[291, 0])))
    opened, closed = (_luma(renderer.compose(i, m)[lips]) for m in (plans[i], np.zeros(5, np.float32)))
    assert np.percentile(opened, 5) < np.percentile(closed, 5) - 3


def test_a_plain_mouth_is_drawn_too(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    aa = np.array(VISEME_POSES["aa"], np.float32)
    rows, cols = _mouth_box(franck_twin, 4)
    plain = renderer.compose(4, aa)
    rest = renderer.compose(4, np.zeros(5, np.float32))
    assert np.abs(_luma(plain[rows, cols]) - _luma(rest[rows, cols])).mean() > 6.0
    # A plan made for another twin is treated as a plain mouth.
    foreign = _held(franck_twin, "ou", 5)[4].copy()
    foreign[P.TAG] = (foreign[P.TAG] + 1) % 2**24
    assert np.array_equal(renderer.compose(4, foreign), renderer.compose(4, foreign[: P.N_MOUTH]))


def test_frames_are_deterministic(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    other = TwinRenderer(franck_twin, SETTINGS, IdleFrames(franck_twin.idle.video, len(franck_twin.idle)))
    track = np.array([VISEME_POSES[n] for n in ("sil", "aa", "PP", "ou", "FF", "E", "sil")], np.float32)
    plans = TwinPlanner(franck_twin).plan_track(track)
    for i in (6, 0, 3, 5, 1):  # out of order: the shared decoder restarts, frames stay the same
        assert np.array_equal(renderer.render(i, plans[i]), other.render(i, plans[i]))


def test_a_held_mouth_does_not_swim_on_the_face(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    geo = renderer.parts.geometry
    unit = int(_held(franck_twin, "aa", 2)[1, P.UNIT_A])
    offsets = []
    for i in range(10):
        lm = franck_twin.idle.landmarks[i, :, :2]
        lips = carry(geo.loop.to_frame[i], destination(geo, i, [(unit, 1.0)])[:8])
        offsets.append(lips - lm[[1, 6]].mean(0))  # relative to the nose
    # Frame to frame, the lips keep their place on the face: no jitter (second difference).
    track = np.stack(offsets)
    assert np.abs(track[2:] - 2 * track[1:-1] + track[:-2]).max() < 0.35  # idle-loop pixels


def test_the_loop_keeps_its_own_frame_rate(franck_twin: TwinData, renderer: TwinRenderer) -> None:
    assert franck_twin.idle.fps == 25 and SETTINGS.fps == 30
    count = len(franck_twin.idle)
    # Six output frames show five loop frames: one second of the show is one second of the loop.
    assert [renderer.loop_frame(i) for i in range(7)] == [0, 0, 1, 2, 3, 4, 5]
    wrap = -(-count * 30 // 25)  # the first output frame at or after the loop's end
    assert renderer.loop_frame(30) == 25 and renderer.loop_frame(wrap - 1) == count - 1
    assert renderer.loop_frame(wrap) == 0
    same_rate = TwinRenderer(franck_twin, dataclasses.replace(SETTINGS, fps=25), renderer.parts.frames)
    assert [same_rate.loop_frame(i) for i in range(count + 2)] == [*range(count), 0, 1]


def test_a_late_thread_asking_for_the_loops_end_does_not_decode_the_loop_again(franck_twin: TwinData) -> None:
    count = len(franck_twin.idle)
    frames = IdleFrames(franck_twin.idle.video, count)
    for i in range(count - 2):
        frames.get(i)
    restarts = frames.restarts
    first = np.array(frames.get(count))  # one thread is already round the loop ...
    last = np.array(frames.get(count - 1))  # ... another still draws its last frame
    again = np.array(frames.get(count + 1))
    assert frames.restarts == restarts + 1  # one restart for the wrap, no second pass
    reference = IdleFrames(franck_twin.idle.video, count)
    for i in range(count):
        image = np.array(reference.get(i))
        if i in (0, 1, count - 1):
            assert np.array_equal(image, {0: first, 1: again, count - 1: last}[i])
    frames.close()
    reference.close()


def test_idle_frames_stay_bounded_round_the_loop(franck_twin: TwinData) -> None:
    count = len(franck_twin.idle)
    frames = IdleFrames(franck_twin.idle.video, count, cache_frames=8)
    first = [np.array(frames.get(i)) for i in range(count)]
    for lap in (1, 2, 3):
        for i in range(count):
            image = frames.get(lap * count + i)
            if i % 17 == 0:
                assert np.array_equal(image, first[i])
            assert frames.cached() <= 8
    assert frames.restarts == 4
    frames.close()
    assert frames.cached() == 0


def test_twin_renderers_share_one_twin(franck_twin: TwinData) -> None:
    package = Path(franck_twin.idle.video).parent
    workers, planner = twin_renderers(package, SETTINGS, 2)
    assert len(workers) == 2
    a, b = workers
    assert isinstance(a, TwinRenderer) and isinstance(b, TwinRenderer)
    assert a.parts is b.parts
    plans = planner.plan_track(np.array([VISEME_POSES["aa"]] * 3, np.float32))
    assert np.array_equal(a.render(2, plans[2]), b.render(2, plans[2]))


def test_closing_the_renderers_closes_the_shared_decoder(franck_twin: TwinData) -> None:
    package = Path(franck_twin.idle.video).parent
    workers, planner = twin_renderers(package, SETTINGS, 2)
    a, b = workers
    assert isinstance(a, TwinRenderer) and isinstance(b, TwinRenderer)
    plans = planner.plan_track(np.array([VISEME_POSES["aa"]] * 3, np.float32))
    first = a.render(1, plans[1])
    frames = a.parts.frames
    assert frames.decoding
    a.close()
    a.close()  # idempotent: it does not count as the other worker leaving
    assert frames.decoding  # b still renders from it
    assert np.array_equal(b.render(1, plans[1]), first)
    b.close()
    assert not frames.decoding and frames.cached() == 0
    b.close()


def _idle(franck_twin: TwinData, frame: int) -> np.ndarray:
    return np.array(_frames(franck_twin).get(frame))


@pytest.mark.parametrize("size", [(640, 480), (1080, 1080)])
def test_a_frame_the_head_fits_in_is_filled_by_the_footage(
    franck_twin: TwinData, size: tuple[int, int]
) -> None:
    width, height = size
    framing = TwinRenderer(franck_twin, RenderSettings(width, height), _frames(franck_twin)).parts.framing
    assert framing.cover
    frame = _idle(franck_twin, 7)
    out = framing.apply(frame)
    # Every output pixel is the footage, scaled by the one framing (no fill anywhere) ...
    expected = cv2.warpAffine(
        frame, framing.matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    assert np.abs(out.astype(np.int16) - expected).max() <= 1
    # ... and the whole head, round the loop, is inside it.
    lm = carry(framing.matrix, franck_twin.idle.landmarks[..., :2].reshape(-1, 2))
    assert lm[:, 0].min() > 0 and lm[:, 0].max() < width
    assert lm[:, 1].min() > 0.02 * height and lm[:, 1].max() < height


@pytest.mark.parametrize("size", [(1280, 720), (720, 1280)])
def test_a_frame_the_head_does_not_fit_shows_the_whole_footage_on_a_blurred_copy(
    franck_twin: TwinData, size: tuple[int, int]
) -> None:
    width, height = size
    framing = TwinRenderer(franck_twin, RenderSettings(width, height), _frames(franck_twin)).parts.framing
    assert not framing.cover  # franck's chin is near the bottom of his footage
    frame = _idle(franck_twin, 7)
    out = framing.apply(frame)
    x0, y0, x1, y1 = framing.box
    src_h, src_w = frame.shape[:2]
    # The footage, whole, scaled to fill the frame's height (landscape) or width (portrait).
    assert (x1 - x0, y1 - y0) == (
        (round(src_w * height / src_h), height) if width > height else (width, round(src_h * width / src_w))
    )
    assert np.array_equal(
        out[y0:y1, x0:x1], cv2.resize(frame, (x1 - x0, y1 - y0), interpolation=cv2.INTER_LINEAR)
    )
    # Beside it: the same frame, cover-scaled about the centre, blurred and darkened.
    cover = max(width / src_w, height / src_h)
    big = cv2.resize(frame, (round(src_w * cover), round(src_h * cover)), interpolation=cv2.INTER_AREA)
    bx, by = (big.shape[1] - width) // 2, (big.shape[0] - height) // 2
    big = big[by : by + height, bx : bx + width].astype(np.float32)
    blurred = cv2.GaussianBlur(big, (0, 0), 0.05 * min(width, height))
    fill = np.ones((height, width), bool)
    fill[y0:y1, x0:x1] = False
    got = _luma(out)[fill]
    want = _luma(blurred)[fill] * 0.7
    assert np.abs(got - want).mean() < 3.5  # franck: 0.7 (landscape), 1.9 (portrait)
    assert np.corrcoef(got, want)[0, 1] > 0.9  # the blurred frame's structure
    assert got.mean() < _luma(frame).mean() - 10  # darker than the picture, which stands out
    # Never a stretched edge: the picture's edge rows or columns, repeated across the bands and
    # even darkened the same, are far from it (franck: 7 and 14 grey levels).
    smear = cv2.copyMakeBorder(out[y0:y1, x0:x1], y0, height - y1, x0, width - x1, cv2.BORDER_REPLICATE)
    assert np.abs(0.7 * _luma(smear)[fill] - want).mean() > 3 * np.abs(got - want).mean()
