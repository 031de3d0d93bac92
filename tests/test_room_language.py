"""Answers in their own language's voice: in one English show, a viewer's Chinese question is answered
from the catalogue's ``_zh`` facts and said by a Chinese voice, an English one by the show's English
voice, each heard in the recording as that voice says it."""

from __future__ import annotations

import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from room_helpers import RATE, recorded_audio, records, until

from studio.avatar.library import demo_package_path
from studio.avatar.package import Avatar, load_avatar
from studio.commerce import load_catalog
from studio.commerce.answer import answer
from studio.live.clips import synthesize_live
from studio.live.rundown import Rundown, Segment
from studio.live.speech_stream import ClipStream, stream_clips
from studio.outputs.base import StreamFormat
from studio.pipeline.live_room import RoomOptions
from studio.pipeline.live_show import LiveOptions, LiveShow
from studio.pipeline.render_job import default_driver
from studio.render.label import LabelSettings
from studio.render.photo_renderer import RenderSettings
from studio.room import make_comment
from studio.room.answer_voice import AnswerVoices, show_voices
from studio.voice import all_voices, default_voice_id

CATALOG = Path(__file__).resolve().parents[1] / "assets" / "demo_catalog" / "catalog.toml"
SETTINGS = RenderSettings(160, 96, Fraction(30), label=LabelSettings(True, "AI-generated", "top-right"))
ENGLISH, CHINESE = "espeak:en-us", "espeak:cmn"


@pytest.fixture(scope="module")
def avatar() -> Avatar:
    return load_avatar(demo_package_path(), "")


def test_each_language_gets_the_show_voice_that_speaks_it() -> None:
    voices = all_voices(offline_only=True)
    own = show_voices(ENGLISH, [None, CHINESE, ENGLISH])
    assert own == (ENGLISH, CHINESE)
    chosen = AnswerVoices(own, voices)
    assert chosen.voice_for("zh", "容量350毫升。") == CHINESE
    assert chosen.voice_for("en", "Holds 350 ml.") == ENGLISH
    # An English-only show: a Chinese answer goes to the default voice for Chinese words, which
    # speaks Mandarin (eSpeak's cmn, or Kokoro's Mandarin voice where it is fetched).
    english_only = AnswerVoices((ENGLISH,), voices)
    assert english_only.own_voice("zh") is None
    picked = english_only.voice_for("zh", "容量350毫升。")
    assert picked != ENGLISH and picked in {"espeak:cmn", "kokoro:zf_xiaoxiao"}
    # The avatar's consent names the voices the person agreed to: only those say answers.
    consented = AnswerVoices((ENGLISH,), voices, consented=(ENGLISH, CHINESE))
    assert consented.voice_for("zh", "容量350毫升。") == CHINESE
    only_english = AnswerVoices((ENGLISH,), voices, consented=(ENGLISH,))
    assert only_english.voice_for("zh", "容量350毫升。") == ENGLISH  # no consented Chinese voice


def _match(heard: np.ndarray, at_s: float, text: str, voice: str) -> float:
    """How well ``voice`` saying ``text`` matches the recording near ``at_s``: the median, over three
    pieces of its speech, of each one's best normalised correlation within a second and a half of
    where the log puts it (a loaded machine moves the words a little)."""
    # Said a clause at a time (``live.speech_stream``): the pieces back to back, as the show plays them.
    fmt = StreamFormat(SETTINGS.width, SETTINGS.height, SETTINGS.fps)
    pieces = stream_clips(
        text,
        lambda piece: synthesize_live(piece, voice),
        fmt,
        default_driver(),
        "",
        "interjection",
        ClipStream(),
    )
    said = np.concatenate([clip.audio for clip in pieces]).astype(np.float32)
    scores = []
    for offset in (0.2, 0.8, 1.4):
        piece = said[round(offset * RATE) : round((offset + 0.5) * RATE)]
        n = len(piece)
        start = max(0, round((at_s + offset - 1.5) * RATE))
        window = heard[start : start + 3 * RATE + n]
        spectrum = np.fft.rfft(window, len(window) + n)
        corr = np.fft.irfft(spectrum * np.conj(np.fft.rfft(piece, len(window) + n)))[: len(window) - n + 1]
        energy = np.sqrt(np.convolve(window**2, np.ones(n), "valid")) * np.linalg.norm(piece)
        scores.append(float(np.max(corr / np.maximum(energy, 1e-9))))
    return float(np.median(scores))


def test_a_chinese_question_is_answered_in_chinese_by_a_chinese_voice_in_an_english_show(
    avatar: Avatar, tmp_path: Path
) -> None:
    out = tmp_path / "room.mp4"
    catalog = load_catalog(CATALOG)
    rundown = Rundown((Segment("Here is the ceramic travel mug.", pause_ms=300, product="mug"),), loop=True)
    room = RoomOptions(CATALOG, auto=("price", "fact", "faq"))
    options = LiveOptions(
        rundown=rundown, voice=ENGLISH, record=out, log_dir=tmp_path / "logs", room=room, disclosure=None
    )
    show = LiveShow(avatar, SETTINGS, options)
    assert show.room is not None
    show.start()
    try:
        zh = show.room.queue.submit(make_comment("li", "这个杯子保温多久？", "test"))
        en = show.room.queue.submit(make_comment("ann", "How long does it keep coffee hot?", "test"))
        assert zh is not None and en is not None
        assert until(lambda: show.room is not None and show.room.answered == 2, 90), "answers not on air"
        time.sleep(3.0)  # the second answer's words reach the recording
    finally:
        show.stop()
    assert show.error is None
    said = {r["answers"]: r for r in records(show.log_path) if r["type"] == "said" and r.get("answers")}
    # From the _zh facts, in the Chinese voice; from the English facts, in the show's English voice.
    zh_text, en_text = said[zh.id]["text"], said[en.id]["text"]
    assert "热饮保温6小时。" in zh_text and zh_text == answer(catalog, "这个杯子保温多久？", "mug").text
    # The show has no Chinese voice of its own: the default voice for Chinese words says it
    # (Kokoro's Mandarin voice where fetched, else eSpeak's Mandarin).
    chinese = said[zh.id]["voice"]
    assert chinese == default_voice_id(zh_text) and chinese in {CHINESE, "kokoro:zf_xiaoxiao"}
    assert "Keeps drinks hot for 6 hours." in en_text
    assert said[en.id]["voice"] == ENGLISH
    # The recording holds each answer as its own voice says it, not as the other voice would.
    heard = recorded_audio(out)
    zh_at, en_at = said[zh.id]["pts_s"], said[en.id]["pts_s"]
    as_chinese = _match(heard, zh_at, zh_text, chinese)
    assert as_chinese > 0.55 and as_chinese > _match(heard, zh_at, zh_text, ENGLISH) + 0.2
    assert _match(heard, en_at, en_text, ENGLISH) > 0.55
