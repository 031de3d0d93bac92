"""build_avatar: a webcam frame, a photo or a video file becomes a package; a consent recording
is stored with it; cancelling or any bad input leaves the library unchanged."""

from __future__ import annotations

import json
import wave

import numpy as np
import pytest
from avatar_photos import one_face, small_face, snapshot
from PIL import Image

from studio.avatar.create import default_consent_statement
from studio.avatar.library import AvatarLibrary
from studio.avatar.package import CONSENT_AUDIO, IMAGE, LANDMARKS, MANIFEST, load_avatar
from studio.capture.build import BuildRequest, build_avatar
from studio.errors import FaceError, InputError
from studio.tasks import Cancelled, CancelToken, no_progress

pytest_plugins = ["capture_fixtures", "avatar_fixtures"]


def request(source, kind: str = "webcam", **kw) -> BuildRequest:
    fields = {"name": "Cam One", "consent_by": "Ana Lima", "attested": True, **kw}
    return BuildRequest(source_kind=kind, source=source, **fields)


class Steps:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    def __call__(self, fraction: float, message: str) -> None:
        self.calls.append((fraction, message))


def test_webcam_frame(library, demo_frames):
    steps = Steps()
    avatar = build_avatar(request(demo_frames[5], source_note="Camera 0"), library, steps, CancelToken())
    m = avatar.manifest
    assert (m.name, m.source_kind, m.image_size, m.source_note) == (
        "Cam One",
        "webcam",
        (640, 480),
        "Camera 0",
    )
    assert m.consent.method == "attestation" and m.consent.audio_file == ""
    assert m.consent.statement == default_consent_statement("Ana Lima")
    assert np.array_equal(avatar.image, demo_frames[5])
    assert sorted(p.name for p in avatar.path.iterdir()) == sorted([IMAGE, LANDMARKS, MANIFEST])
    on_disk = json.loads((avatar.path / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["source_kind"] == "webcam" and "audio_file" not in on_disk["consent"]
    messages = [m for _, m in steps.calls]
    assert messages == [
        "Preparing the picture",
        "Finding the face",
        "Checking the face",
        "Writing the avatar 'Cam One'",
        "Created the avatar 'Cam One'",
    ]
    assert [f for f, _ in steps.calls] == sorted(f for f, _ in steps.calls)
    assert library.load("Cam One").manifest.source_kind == "webcam"


def test_photo_file(library, photos):
    avatar = build_avatar(request(one_face(photos), "photo"), library, no_progress, CancelToken())
    assert avatar.manifest.source_kind == "photo"
    assert avatar.manifest.source_note == "astronaut.png"
    assert avatar.manifest.image_size == (512, 512)


def test_video_file(library, demo_video):
    steps = Steps()
    avatar = build_avatar(request(demo_video, "video", name="From Clip"), library, steps, CancelToken())
    assert avatar.manifest.source_kind == "video"
    assert avatar.manifest.source_note.startswith("demo_hello.mp4, frame at ")
    assert avatar.manifest.image_size == (640, 480)
    assert any("Looking for the best frame" in m for _, m in steps.calls)


def test_large_frame_is_downscaled(library):
    from avatar_photos import astronaut

    big = np.asarray(Image.fromarray(astronaut()).resize((2600, 2600), Image.Resampling.BICUBIC))
    avatar = build_avatar(request(big), library, no_progress, CancelToken())
    assert avatar.manifest.image_size == (2048, 2048)


def test_consent_recording_is_stored(library, demo_frames, consent_speech):
    audio, rate = consent_speech
    avatar = build_avatar(
        request(demo_frames[0], consent_audio=audio, consent_rate=rate), library, no_progress, CancelToken()
    )
    consent = avatar.manifest.consent
    assert (consent.method, consent.audio_file) == ("recording", CONSENT_AUDIO)
    assert avatar.consent_audio_path == avatar.path / CONSENT_AUDIO
    with wave.open(str(avatar.consent_audio_path), "rb") as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, rate)
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), "<i2").astype(np.float32) / 32767
    assert np.allclose(pcm, audio, atol=1.5 / 32767)
    on_disk = json.loads((avatar.path / MANIFEST).read_text(encoding="utf-8"))
    assert on_disk["consent"]["audio_file"] == "consent.wav"
    # Listed, loaded and deleted like any package: deletion takes the recording with it.
    assert [m.name for m in library.list() if m.consent.method == "recording"] == ["Cam One"]
    assert load_avatar(avatar.path).manifest.consent.audio_file == CONSENT_AUDIO
    folder = library.delete("Cam One")
    assert not folder.exists() and not library.exists("Cam One")


def test_package_missing_its_recording_is_damaged(library, demo_frames, consent_speech):
    audio, rate = consent_speech
    avatar = build_avatar(
        request(demo_frames[0], consent_audio=audio, consent_rate=rate), library, no_progress, CancelToken()
    )
    (avatar.path / CONSENT_AUDIO).unlink()
    with pytest.raises(InputError, match="consent recording 'consent.wav' is missing"):
        library.load("Cam One")


def test_old_packages_still_load(library):
    # Written before recordings existed: no consent.audio_file in the manifest.
    ana = library.load("Ana")
    assert ana.manifest.consent.audio_file == "" and ana.consent_audio_path is None
    raw = json.loads((ana.path / MANIFEST).read_text(encoding="utf-8"))
    assert "audio_file" not in raw["consent"]
    demo = AvatarLibrary(library.root).load("demo")
    assert demo.manifest.consent.audio_file == ""


@pytest.mark.parametrize(
    ("change", "error", "pattern"),
    [
        ({"attested": False}, InputError, "consent has not been confirmed"),
        ({"consent_by": "  "}, InputError, "the name of the person who consented is empty"),
        ({"name": "Ana"}, InputError, "an avatar called 'Ana' already exists"),
        ({"name": "demo"}, InputError, "reserved for the built-in demo avatar"),
        ({"name": "a/b"}, InputError, "contains '/'"),
        ({"consent_audio": np.zeros(48000, np.float32)}, InputError, "the consent recording is silent"),
    ],
    ids=["not-attested", "no-consenter", "taken", "demo", "bad-name", "silent-recording"],
)
def test_bad_requests_change_nothing(library, demo_frames, change, error, pattern):
    before = snapshot(library.root)
    with pytest.raises(error, match=pattern) as info:
        build_avatar(request(demo_frames[0], **change), library, no_progress, CancelToken())
    assert info.value.hint
    assert snapshot(library.root) == before


def test_bad_pictures_change_nothing(library, photos):
    before = snapshot(library.root)
    with pytest.raises(FaceError, match="the face in small.png is too small"):
        build_avatar(request(small_face(photos), "photo"), library, no_progress, CancelToken())
    with pytest.raises(FaceError, match="no face found in the captured picture"):
        build_avatar(request(np.full((480, 640, 3), 90, np.uint8)), library, no_progress, CancelToken())
    assert snapshot(library.root) == before


@pytest.mark.parametrize("at", ["Preparing the picture", "Finding the face", "Checking the face"])
def test_cancel_between_steps_leaves_the_library_unchanged(library, demo_frames, at):
    before = snapshot(library.root)
    token = CancelToken()

    def progress(_fraction: float, message: str) -> None:
        if message == at:
            token.cancel()

    with pytest.raises(Cancelled, match="the avatar build was cancelled; nothing was changed"):
        build_avatar(request(demo_frames[0]), library, progress, token)
    assert snapshot(library.root) == before


def test_cancel_during_the_write_lets_it_finish(library, demo_frames):
    # The package write is never interrupted: a cancel that arrives then comes too late.
    token = CancelToken()

    def progress(_fraction: float, message: str) -> None:
        if message.startswith("Writing"):
            token.cancel()

    avatar = build_avatar(request(demo_frames[0]), library, progress, token)
    assert load_avatar(avatar.path).name == "Cam One"


def test_a_chosen_frame_gets_the_photo_checks(library, demo_frames):
    def build(name: str, kind: str = "webcam"):  # type: ignore[no-untyped-def]
        frame = request(demo_frames[3], kind, name=name, consent_by="Bo Chen")
        return build_avatar(frame, library, no_progress, CancelToken())

    avatar = build("Frame", "video")
    assert avatar.manifest.source_kind == "video"
    with pytest.raises(InputError, match="already exists"):
        build("frame")
    with pytest.raises(ValueError, match="source_kind"):
        build("Other", "scan")
    assert not library.exists("Other")
