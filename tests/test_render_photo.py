"""Photo renderer v1 on the committed demo avatar: seams, folds, mouth, blink, label, idle life."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from studio.avatar.library import AvatarLibrary
from studio.avatar.package import Avatar
from studio.errors import InputError
from studio.face import topology as T
from studio.lipsync.mouth import CLOSE, MOUTH_PARAMS
from studio.lipsync.visemes import VISEME_POSES
from studio.render.idle import IdleMotion, IdlePose
from studio.render.label import CORNERS, Label, LabelSettings, check_label_text
from studio.render.photo_renderer import PhotoRenderer, RenderSettings

W, H = 640, 360
STILL = IdlePose(blink=0.0, yaw=0.0, pitch=0.0, roll=0.0, dx=0.0, dy=0.0, breath=0.0)
CLOSED = np.array([0.0, 0.0, 0.0, 1.0, 0.0], np.float32)  # jaw shut, lips pressed
LIPS_OUTER = np.array(T.LIPS_OUTER_UPPER + T.LIPS_OUTER_LOWER)
EYES = (
    np.array(T.RIGHT_EYE_UPPER + T.RIGHT_EYE_LOWER),
    np.array(T.LEFT_EYE_UPPER + T.LEFT_EYE_LOWER),
)


def pose(name: str) -> np.ndarray:
    return np.array(VISEME_POSES[name], np.float32)


def still(blink: float = 0.0, yaw: float = 0.0, pitch: float = 0.0, roll: float = 0.0) -> IdlePose:
    return IdlePose(blink=blink, yaw=yaw, pitch=pitch, roll=roll, dx=0.0, dy=0.0, breath=0.0)


def bbox(points: np.ndarray, pad: int, shape: tuple[int, ...]) -> tuple[slice, slice]:
    x0, y0 = np.floor(points.min(axis=0)).astype(int) - pad
    x1, y1 = np.ceil(points.max(axis=0)).astype(int) + pad + 1
    return slice(max(y0, 0), min(y1, shape[0])), slice(max(x0, 0), min(x1, shape[1]))


def mad(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(np.float64) - b.astype(np.float64)).mean())


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Avatar:
    return AvatarLibrary(tmp_path_factory.mktemp("lib")).load("demo")


@pytest.fixture(scope="module")
def renderer(demo: Avatar) -> PhotoRenderer:
    settings = RenderSettings(width=W, height=H, label=LabelSettings(enabled=False))
    return PhotoRenderer(demo.image, demo.landmarks, settings)


@pytest.fixture(scope="module")
def mouth_box(renderer: PhotoRenderer) -> tuple[slice, slice]:
    return bbox(renderer.mesh.vertices[LIPS_OUTER], 2, renderer.canvas.shape)


def signed_areas(vertices: np.ndarray, triangles: np.ndarray) -> np.ndarray:
    a, b, c = vertices[triangles[:, 0]], vertices[triangles[:, 1]], vertices[triangles[:, 2]]
    return 0.5 * ((b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (c[:, 0] - a[:, 0]))


def folded(renderer: PhotoRenderer, deformed: np.ndarray, reference: np.ndarray | None = None) -> np.ndarray:
    """Triangle ids whose signed area changes sign (|area| > 1 px² after the change).

    Slivers with no area at rest (|area| < 0.5 px², three landmarks on one line) cover no pixel
    and their orientation is noise, so they are left out.
    """
    tris = renderer.mesh.triangles
    before = signed_areas(renderer.mesh.vertices if reference is None else reference, tris)
    after = signed_areas(deformed, tris)
    return np.nonzero((np.sign(after) != np.sign(before)) & (np.abs(after) > 1.0) & (np.abs(before) > 0.5))[0]


# -- seams --------------------------------------------------------------------------------------


def test_rest_pose_leaves_everything_outside_the_roi_untouched(renderer: PhotoRenderer) -> None:
    frame = renderer.render(0, CLOSED, STILL)
    x0, y0, x1, y1 = renderer.mesh.roi
    assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H
    outside = np.ones((H, W), bool)
    outside[y0:y1, x0:x1] = False
    assert outside.any()
    assert np.array_equal(frame[outside], renderer.canvas[outside])


def test_rest_pose_roi_interior_next_to_the_border_is_seamless(renderer: PhotoRenderer) -> None:
    frame = renderer.render(0, CLOSED, STILL).astype(int)
    canvas = renderer.canvas.astype(int)
    x0, y0, x1, y1 = renderer.mesh.roi
    # The ring one pixel inside the border: nothing there moves at rest.
    ring = [frame[y0 + 1, x0 + 1 : x1 - 1] - canvas[y0 + 1, x0 + 1 : x1 - 1]]
    ring += [frame[y1 - 2, x0 + 1 : x1 - 1] - canvas[y1 - 2, x0 + 1 : x1 - 1]]
    ring += [frame[y0 + 2 : y1 - 2, x0 + 1] - canvas[y0 + 2 : y1 - 2, x0 + 1]]
    ring += [frame[y0 + 2 : y1 - 2, x1 - 2] - canvas[y0 + 2 : y1 - 2, x1 - 2]]
    assert max(int(np.abs(r).max()) for r in ring) <= 2


def test_rest_pose_roi_border_is_seamless(renderer: PhotoRenderer) -> None:
    frame = renderer.render(0, CLOSED, STILL).astype(int)
    canvas = renderer.canvas.astype(int)
    x0, y0, x1, y1 = renderer.mesh.roi
    border = np.concatenate(
        [
            (frame[y0, x0:x1] - canvas[y0, x0:x1]).ravel(),
            (frame[y1 - 1, x0:x1] - canvas[y1 - 1, x0:x1]).ravel(),
            (frame[y0:y1, x0] - canvas[y0:y1, x0]).ravel(),
            (frame[y0:y1, x1 - 1] - canvas[y0:y1, x1 - 1]).ravel(),
        ]
    )
    assert int(np.abs(border).max()) <= 2


def test_identity_warp_map_is_exact(renderer: PhotoRenderer) -> None:
    """The rest mesh maps every pixel of the ROI, border included, to itself."""
    x0, y0, x1, y1 = renderer.mesh.roi
    mx, my = renderer.warp.maps(renderer.mesh.vertices)
    gx, gy = np.meshgrid(np.arange(x0, x1), np.arange(y0, y1))
    err = np.hypot(mx - gx, my - gy)
    assert float(err.max()) < 0.02


# -- folds --------------------------------------------------------------------------------------

MOUTH_CASES = [pytest.param(name, blink) for name in VISEME_POSES for blink in (0.0, 1.0)]


@pytest.mark.parametrize(("viseme", "blink"), MOUTH_CASES)
def test_mouth_and_blink_poses_fold_no_triangle(renderer: PhotoRenderer, viseme: str, blink: float) -> None:
    bad = folded(renderer, renderer.rig.deform(pose(viseme), still(blink)))
    assert bad.size == 0, f"{viseme} blink={blink}: folded triangles {renderer.mesh.triangles[bad].tolist()}"


HEAD_CASES = [
    pytest.param(yaw, pitch, roll)
    for yaw, pitch, roll in itertools.product((-3.0, 0.0, 3.0), (-3.0, 0.0, 3.0), (-2.0, 0.0, 2.0))
]


@pytest.mark.parametrize(("yaw", "pitch", "roll"), HEAD_CASES)
def test_head_motion_folds_no_triangle(
    renderer: PhotoRenderer, yaw: float, pitch: float, roll: float
) -> None:
    """Every viseme x blink under this head pose; a fold the still head already has (see the
    mouth test) is not counted twice."""
    failures = []
    for name, blink in itertools.product(VISEME_POSES, (0.0, 1.0)):
        deformed = renderer.rig.deform(pose(name), still(blink, yaw, pitch, roll))
        head_still = renderer.rig.deform(pose(name), still(blink))
        bad = set(folded(renderer, deformed).tolist()) - set(folded(renderer, head_still).tolist())
        if bad:
            failures.append((name, blink, sorted(bad)))
    assert not failures, f"yaw={yaw} pitch={pitch} roll={roll}: {failures[:3]}"


# -- mouth --------------------------------------------------------------------------------------


def test_open_mouth_shows_a_dark_interior_and_closed_visemes_do_not(
    renderer: PhotoRenderer, mouth_box: tuple[slice, slice]
) -> None:
    frames = {name: renderer.render(0, pose(name), STILL) for name in ("sil", "PP", "E", "aa")}
    ref = frames["sil"][mouth_box]
    diff = {name: mad(f[mouth_box], ref) for name, f in frames.items()}
    dark = {name: float((f[mouth_box].mean(axis=2) < 90).mean()) for name, f in frames.items()}
    assert diff["sil"] == 0.0
    assert diff["aa"] > 30.0, diff
    assert diff["aa"] > diff["E"] > diff["PP"], diff
    assert diff["PP"] < 0.4 * diff["aa"], diff
    # Interior (cavity) pixels: plenty for aa, about as few as at rest for sil and PP.
    assert dark["aa"] > dark["sil"] + 0.1, dark
    assert dark["PP"] <= dark["sil"] + 0.03, dark


def test_mouth_opening_grows_with_jaw(renderer: PhotoRenderer, mouth_box: tuple[slice, slice]) -> None:
    ref = renderer.render(0, pose("sil"), STILL)[mouth_box]
    diffs = []
    for jaw in (0.2, 0.4, 0.6, 0.8, 1.0):
        mouth = np.zeros(len(MOUTH_PARAMS), np.float32)
        mouth[0] = jaw
        diffs.append(mad(renderer.render(0, mouth, STILL)[mouth_box], ref))
    assert all(b > a for a, b in itertools.pairwise(diffs)), diffs


def test_pressed_lips_hide_the_interior_at_any_jaw(
    renderer: PhotoRenderer, mouth_box: tuple[slice, slice]
) -> None:
    ref = renderer.render(0, pose("sil"), STILL)[mouth_box]
    wide = pose("aa")
    pressed = wide.copy()
    pressed[CLOSE] = 1.0
    assert mad(renderer.render(0, pressed, STILL)[mouth_box], ref) < 0.5 * mad(
        renderer.render(0, wide, STILL)[mouth_box], ref
    )


# -- blink --------------------------------------------------------------------------------------


def test_blink_closes_the_eyes_and_reopens_to_baseline(renderer: PhotoRenderer) -> None:
    boxes = [bbox(renderer.mesh.vertices[eye], 3, renderer.canvas.shape) for eye in EYES]
    mouth = pose("sil")
    open_before = renderer.render(0, mouth, still(0.0))
    shut = renderer.render(0, mouth, still(1.0))
    open_after = renderer.render(0, mouth, still(0.0))
    for box in boxes:
        assert mad(open_before[box], renderer.canvas[box]) < 1.0  # open eyes are the photo's eyes
        assert mad(shut[box], open_before[box]) > 8.0
        # The iris disappears under the lid: the eye region loses contrast.
        assert shut[box].mean(axis=2).std() < open_before[box].mean(axis=2).std()
        assert np.array_equal(open_after[box], open_before[box])


def test_half_blink_is_between_open_and_closed(renderer: PhotoRenderer) -> None:
    box = bbox(renderer.mesh.vertices[EYES[0]], 3, renderer.canvas.shape)
    frames = [renderer.render(0, pose("sil"), still(b))[box] for b in (0.0, 0.5, 1.0)]
    assert 0.0 < mad(frames[1], frames[0]) < mad(frames[2], frames[0])


# -- label --------------------------------------------------------------------------------------


def test_enabled_label_marks_its_box_and_disabled_label_changes_nothing(demo: Avatar) -> None:
    on = PhotoRenderer(demo.image, demo.landmarks, RenderSettings(width=W, height=H))
    off = PhotoRenderer(
        demo.image, demo.landmarks, RenderSettings(width=W, height=H, label=LabelSettings(enabled=False))
    )
    a, b = on.render(3, pose("sil")), off.render(3, pose("sil"))
    x0, y0, x1, y1 = on.label.box
    assert x1 - x0 > 20 and y1 - y0 > 8
    assert mad(a[y0:y1, x0:x1], on.canvas[y0:y1, x0:x1]) > 10.0
    # Apart from the box the two renders are the same frame.
    a[y0:y1, x0:x1] = b[y0:y1, x0:x1]
    assert np.array_equal(a, b)

    canvas = on.canvas.copy()
    Label(LabelSettings(enabled=False), W, H).apply(canvas)
    assert np.array_equal(canvas, on.canvas)


@pytest.mark.parametrize("corner", CORNERS)
def test_label_sits_in_its_corner(renderer: PhotoRenderer, corner: str) -> None:
    label = Label(LabelSettings(corner=corner), W, H)
    x0, y0, x1, y1 = label.box
    assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H
    left, top = corner.endswith("left"), corner.startswith("top")
    assert (x1 <= W // 2) if left else (x0 >= W // 2)
    assert (y1 <= H // 2) if top else (y0 >= H // 2)
    margin_x = x0 if left else W - x1
    margin_y = y0 if top else H - y1
    assert margin_x < 0.05 * W and margin_y < 0.05 * H

    frame = renderer.canvas.copy()
    label.apply(frame)
    changed = np.nonzero(np.any(frame != renderer.canvas, axis=2))
    assert changed[0].size > 0
    assert changed[0].min() >= y0 and changed[0].max() < y1
    assert changed[1].min() >= x0 and changed[1].max() < x1


@pytest.mark.parametrize("corner", ["middle", "Top-Right", "", "top_right"])
def test_invalid_label_corner_is_refused(corner: str) -> None:
    with pytest.raises(ValueError, match="corner"):
        LabelSettings(corner=corner)


# -- idle life ----------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 7, 12345])
def test_blink_rate_is_natural(seed: int) -> None:
    starts = IdleMotion(seed=seed).blink_starts(600.0)
    per_minute = len(starts) / 10.0
    assert 10.0 <= per_minute <= 30.0
    assert np.all(np.diff(starts) > 0)
    assert starts[0] > 0.0 and starts[-1] < 600.0


def test_idle_pose_is_a_pure_function_of_seed_and_time() -> None:
    a, b = IdleMotion(seed=11), IdleMotion(seed=11)
    sa, sb = a.blink_starts(60.0), b.blink_starts(60.0)
    assert np.array_equal(sa, sb)
    for t in (0.0, 0.5, 1.234, 17.0, 59.9):
        assert a.pose_at(t, sa) == b.pose_at(t, sb)
    other = IdleMotion(seed=12)
    assert other.pose_at(1.234, other.blink_starts(60.0)) != a.pose_at(1.234, sa)


def test_head_stays_within_four_degrees() -> None:
    motion = IdleMotion()
    starts = motion.blink_starts(600.0)
    poses = [motion.pose_at(t, starts) for t in np.arange(0.0, 600.0, 0.1)]
    for field in ("yaw", "pitch", "roll"):
        values = np.array([getattr(p, field) for p in poses])
        assert np.abs(values).max() <= 4.0, field
        assert np.abs(values).max() > 0.3, field  # and it does move
    blinks = np.array([p.blink for p in poses])
    assert blinks.min() >= 0.0 and blinks.max() <= 1.0
    frozen = IdleMotion(head_scale=0.0)
    p = frozen.pose_at(12.3, frozen.blink_starts(60.0))
    assert (p.yaw, p.pitch, p.roll, p.dx, p.dy) == (0.0, 0.0, 0.0, 0.0, 0.0)


@pytest.mark.parametrize("seed", [0, 7, 99])
def test_blink_schedule_is_prefix_stable(seed: int) -> None:
    motion = IdleMotion(seed=seed)
    short, long = motion.blink_starts(60.0), motion.blink_starts(120.0)
    assert len(long) > len(short) > 0
    assert np.array_equal(long[: len(short)], short)


def test_renderer_extends_the_blink_schedule_without_changing_earlier_frames(demo: Avatar) -> None:
    settings = RenderSettings(width=W, height=H, label=LabelSettings(enabled=False))
    a = PhotoRenderer(demo.image, demo.landmarks, settings)
    b = PhotoRenderer(demo.image, demo.landmarks, settings)
    early = [a.idle_at(i) for i in range(0, 1800, 7)]  # first minute
    b.idle_at(30 * 300)  # jump to 5 minutes: the schedule is regrown
    assert [b.idle_at(i) for i in range(0, 1800, 7)] == early


# -- determinism --------------------------------------------------------------------------------


def test_same_frame_and_mouth_render_the_same_pixels(demo: Avatar, renderer: PhotoRenderer) -> None:
    mouth = pose("E")
    first = renderer.render(42, mouth)
    renderer.render(7, pose("aa"))  # scratch state from another frame must not leak
    assert np.array_equal(renderer.render(42, mouth), first)
    fresh = PhotoRenderer(demo.image, demo.landmarks, renderer.settings)
    assert np.array_equal(fresh.render(42, mouth), first)
    assert first.dtype == np.uint8 and first.shape == (H, W, 3)


def test_demo_avatar_path_is_committed(demo: Avatar) -> None:
    from studio.avatar.library import demo_package_path

    assert Path(demo_package_path(), "image.png").is_file()
    assert demo.landmarks.shape[0] >= 468


@pytest.mark.parametrize("text", ["AI生成内容", "ИИ-контент", "AI-generated", "AI 생성 콘텐츠"])
def test_label_text_in_the_scripts_our_users_write_is_drawn(text: str) -> None:
    assert check_label_text(text) == text
    label = Label(LabelSettings(True, text, "top-left"), 1280, 720)
    frame = np.zeros((720, 1280, 3), np.uint8)
    label.apply(frame)
    x0, y0, x1, y1 = label.box
    # White glyph pixels: every character adds ink, so a label of n glyphs has plenty.
    ink = int((frame[y0:y1, x0:x1].min(axis=2) > 200).sum())
    assert ink > 20 * len(text.replace(" ", "")), ink


@pytest.mark.parametrize("text", ["क्या", "AI 🙂", "", "x" * 61])
def test_label_text_the_font_cannot_draw_or_too_long_is_refused(text: str) -> None:
    with pytest.raises(InputError):
        check_label_text(text)


def test_a_long_label_shrinks_to_fit_the_frame() -> None:
    label = Label(
        LabelSettings(True, "AI-generated content: synthetic host, not a real person", "top-right"), 320, 180
    )
    x0, y0, x1, y1 = label.box
    assert x0 > 0 and x1 < 320


@pytest.mark.parametrize("pitch", [-3.0, 3.0])
@pytest.mark.parametrize("yaw", [-3.0, 3.0])
def test_closed_lips_and_lids_stay_sealed_when_the_head_turns(
    renderer: PhotoRenderer, pitch: float, yaw: float
) -> None:
    """A closed seam never opens or passes through itself, whichever way the head turns."""
    from studio.face import topology as T

    seams = [(T.LIPS_INNER_UPPER, T.LIPS_INNER_LOWER)]
    seams += [(T.RIGHT_EYE_UPPER, T.RIGHT_EYE_LOWER), (T.LEFT_EYE_UPPER, T.LEFT_EYE_LOWER)]
    pts = renderer.rig.deform(pose("PP"), still(1.0, yaw, pitch, 0.0))
    down = renderer.rig.geometry.ey
    for upper, lower in seams:
        gaps = (pts[list(lower[1:-1])] - pts[list(upper[1:-1])]) @ down
        assert np.all(np.abs(gaps) < 0.02), gaps
