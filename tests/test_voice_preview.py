"""Voice previews: a sample sentence in the voice's language, spoken by the real engines."""

from __future__ import annotations

import time

import numpy as np
import pytest

from studio.errors import NetworkError
from studio.pipeline.voice_preview import preview_text, synthesize_preview
from studio.tasks import Cancelled, CancelToken
from studio.voice.kokoro_files import VOICES as KOKORO_VOICES
from studio.voice.language import has_cjk
from studio.voice.registry import all_voices, default_voice_id, resolve

pytest_plugins = ["voice_fixtures"]

# Where nothing listens: the connection is refused at once, for real, whatever the network.
REFUSED_URL = "wss://127.0.0.1:9/edge/v1?TrustedClientToken=0"


def _voice(voice_id: str):  # type: ignore[no-untyped-def]
    return next(v for v in all_voices() if v.id == voice_id)


@pytest.mark.parametrize(
    ("voice_id", "expected"),
    [
        ("piper:en_US-joe-medium", "Hello! This is how I will sound"),
        ("espeak:cmn", "大家好"),
        ("espeak:yue", "大家好"),
        ("edge:zh-HK-HiuMaanNeural", "大家好"),
        ("edge:ja-JP-NanamiNeural", "こんにちは"),
        ("edge:ko-KR-SunHiNeural", "안녕하세요"),
        ("edge:fr-FR-DeniseNeural", "Bonjour"),
        ("espeak:de", "Hallo"),
        ("espeak:pt-br", "Olá"),
        ("edge:ru-RU-SvetlanaNeural", "Привет"),
        ("espeak:af", "Hello!"),  # no sample in Afrikaans: English
    ],
)
def test_preview_text_is_in_the_voice_language(voice_id: str, expected: str) -> None:
    text = preview_text(_voice(voice_id))
    assert text.startswith(expected)
    assert len(text) < 80  # a preview is one short sentence


def test_every_voice_has_a_preview_text() -> None:
    for voice in all_voices():
        text = preview_text(voice)
        assert text.strip()
        primary = voice.language.lower().split("-")[0]
        assert has_cjk(text) == (primary in {"zh", "cmn", "yue", "hak", "ja", "ko"}), voice


def _loudness(speech_audio: np.ndarray) -> float:
    return float(np.sqrt(np.mean(speech_audio.astype(np.float64) ** 2)))


def test_preview_speaks_the_sample_in_the_chosen_voice() -> None:
    steps: list[tuple[float, str]] = []
    speech = synthesize_preview("espeak:cmn", progress=lambda f, m: steps.append((f, m)))
    assert speech.voice_id == "espeak:cmn" and speech.text == preview_text(_voice("espeak:cmn"))
    assert 1.0 < speech.duration < 8.0
    assert _loudness(speech.audio) > 0.02
    fractions = [f for f, _ in steps]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("on this computer" in m for _, m in steps)


@pytest.mark.parametrize(
    ("kokoro_state", "chinese"),
    [("kokoro", "kokoro:zf_xiaoxiao"), ("no-kokoro", "espeak:cmn")],
    indirect=["kokoro_state"],
)
def test_the_default_voice_follows_the_text(kokoro_state: str, chinese: str) -> None:
    speech = synthesize_preview("", text="你好，欢迎来到直播间。")
    _, expected = resolve(None, "你好")
    assert speech.voice_id == expected.id == chinese
    assert speech.text == "你好，欢迎来到直播间。" and _loudness(speech.audio) > 0.02


def test_the_default_english_voice_preview() -> None:
    speech = synthesize_preview("piper:en_US-joe-medium")
    assert speech.text.startswith("Hello!") and speech.sample_rate == 22050
    assert 1.5 < speech.duration < 6.0 and _loudness(speech.audio) > 0.02


def test_a_cancelled_preview_is_not_spoken() -> None:
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled, match="voice preview was cancelled"):
        synthesize_preview("espeak:en-us", token=token)


def test_an_online_voice_without_the_network_names_the_offline_ones(monkeypatch: pytest.MonkeyPatch) -> None:
    import edge_tts.communicate

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    started = time.monotonic()
    with pytest.raises(NetworkError, match="needs the network") as info:
        synthesize_preview("edge:en-US-AriaNeural")
    assert time.monotonic() - started < 10
    hint = info.value.hint
    assert default_voice_id("Hello") in hint and default_voice_id("大家好") in hint


# -- the app's words for voices (studio.ui.show_voice_names: no widgets) ----------------------
def test_every_engine_spells_a_language_the_same() -> None:
    from studio.ui.show_voice_names import language_name

    same = {
        "English (US)": [
            "piper:en_US-joe-medium",
            "edge:en-US-AriaNeural",
            "espeak:en-us",
            "espeak:en-us-nyc",
        ],
        "English (UK)": ["edge:en-GB-SoniaNeural", "espeak:en-gb", "espeak:en-gb-x-gbcwmd"],
        "Chinese (Mandarin)": ["edge:zh-CN-XiaoxiaoNeural", "espeak:cmn", "espeak:cmn-latn-pinyin"],
        "Chinese (Cantonese)": ["edge:zh-HK-HiuMaanNeural", "espeak:yue"],
        "German": ["edge:de-DE-KatjaNeural", "espeak:de"],
        "Spanish (Spain)": ["edge:es-ES-ElviraNeural", "espeak:es"],
    }
    for name, ids in same.items():
        assert {language_name(_voice(i)) for i in ids} == {name}, ids
    assert language_name(_voice("espeak:cy")) == "Welsh"  # eSpeak's own name otherwise


@pytest.mark.parametrize("kokoro_state", ["kokoro", "no-kokoro"], indirect=True)
def test_voices_read_as_language_then_voice(kokoro_state: str) -> None:
    from studio.ui.show_voice_names import GROUP_TITLES, sort_key, voice_group, voice_label

    if kokoro_state == "kokoro":
        assert voice_label(_voice("kokoro:af_heart")) == "English (US) · Heart"
        assert voice_label(_voice("kokoro:bf_emma")) == "English (UK) · Emma"
        assert voice_label(_voice("kokoro:zf_xiaoxiao")) == "Chinese (Mandarin) · Xiaoxiao"
    assert voice_label(_voice("piper:en_US-joe-medium")) == "English (US) · Joe"
    assert voice_label(_voice("edge:en-US-AriaNeural")) == "English (US) · Aria ☁"
    assert voice_label(_voice("edge:en-US-EmmaMultilingualNeural")) == "English (US) · Emma (multilingual) ☁"
    assert voice_label(_voice("espeak:en-gb-x-gbcwmd")) == "English (UK) · eSpeak, West Midlands accent"
    assert voice_label(_voice("espeak:cmn")) == "Chinese (Mandarin) · eSpeak"
    voices = sorted(all_voices(), key=sort_key)
    assert all(":" not in voice_label(v) for v in voices)  # no engine ids in the list
    groups = [GROUP_TITLES[voice_group(v)] for v in voices]
    assert list(dict.fromkeys(groups)) == [
        "Natural, offline (Kokoro, Piper)",  # the same title whether Kokoro is installed or not
        "Online (sends text to Microsoft)",
        "Basic, offline (eSpeak, robotic)",
    ]


@pytest.mark.parametrize("kokoro_state", ["kokoro", "no-kokoro"], indirect=True)
def test_the_filter_knows_language_names_codes_and_names_for_every_engine(kokoro_state: str) -> None:
    from studio.ui.show_voice_names import matches

    def kokoro(language: str) -> set[str]:  # Kokoro's voices of that language, when installed
        if kokoro_state != "kokoro":
            return set()
        return {f"kokoro:{v.name}" for v in KOKORO_VOICES if v.language.startswith(language)}

    def found(query: str) -> set[str]:
        return {v.id for v in all_voices() if matches(v, query)}

    english = found("english")
    assert {"piper:en_US-joe-medium", "edge:en-US-AriaNeural", "espeak:en-us", "espeak:en-gb"} <= english
    assert not any(i.startswith(("edge:zh", "espeak:cmn", "espeak:de")) for i in english)
    assert {"edge:en-GB-SoniaNeural", "espeak:en-gb", "espeak:en-gb-x-rp"} <= found("en-gb")
    assert {"edge:zh-CN-XiaoxiaoNeural", "espeak:cmn", "espeak:yue"} <= found("zh")
    assert found("english natural") == {"piper:en_US-joe-medium"} | kokoro("en-")
    assert found("aria") == {"edge:en-US-AriaNeural"}
    assert found("chinese offline") == {
        "espeak:cmn",
        "espeak:cmn-latn-pinyin",
        "espeak:yue",
        "espeak:hak",
    } | kokoro("zh-")
    xiaoxiao = {"edge:zh-CN-XiaoxiaoNeural"} | ({"kokoro:zf_xiaoxiao"} if kokoro_state == "kokoro" else set())
    assert found("xiaoxiao") == xiaoxiao  # a voice's own name, whatever its engine
    assert found("british natural") == kokoro("en-GB")


def _suggested(language: str, text: str = "") -> str:
    from studio.ui.show_voice_names import offline_alternative

    voice = offline_alternative(language, all_voices(), text)
    assert voice is not None and not voice.needs_network
    return voice.id


@pytest.mark.parametrize(
    ("kokoro_state", "english", "british", "chinese"),
    [
        # Natural first: Kokoro's default voices, and one of its British voices for en-GB.
        ("kokoro", "kokoro:af_heart", ("kokoro", "en-GB"), "kokoro:zf_xiaoxiao"),
        # Piper's joe, the only natural voice, for English of anywhere; eSpeak for Chinese.
        ("no-kokoro", "piper:en_US-joe-medium", ("piper", "en-US"), "espeak:cmn"),
    ],
    indirect=["kokoro_state"],
)
def test_an_offline_voice_of_the_same_language_is_suggested(
    kokoro_state: str, english: str, british: tuple[str, str], chinese: str
) -> None:
    assert _suggested("en-US") == english
    uk = _voice(_suggested("en-GB"))
    assert (uk.engine, uk.language) == british
    assert _suggested("zh-CN") == _suggested("zh-TW") == chinese  # Taiwan: Mandarin too
    assert _suggested("es-MX") == "espeak:es-419"
    assert _suggested("ja-JP") == "espeak:ja"
    assert _suggested("", "大家好") == chinese and _suggested("", "Hello") == english


def test_the_british_voice_suggested_is_the_best_graded_one(kokoro_installed: None) -> None:
    # The model card grades bf_emma B-, the other British voices C or D.
    assert _suggested("en-GB") == "kokoro:bf_emma"


@pytest.mark.parametrize("kokoro_state", ["kokoro", "no-kokoro"], indirect=True)
def test_cantonese_is_suggested_a_cantonese_voice_not_a_mandarin_one(kokoro_state: str) -> None:
    assert _suggested("zh-HK") == "espeak:yue"


@pytest.mark.parametrize(
    ("kokoro_state", "english", "chinese"),
    [
        ("kokoro", "Heart (English (US), natural)", "Xiaoxiao (Chinese (Mandarin), natural)"),
        ("no-kokoro", "Joe (English (US), natural)", "Chinese (Mandarin) · eSpeak (basic, offline)"),
    ],
    indirect=["kokoro_state"],
)
def test_a_preview_without_the_network_is_said_in_the_app_words(
    kokoro_state: str, english: str, chinese: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import edge_tts.communicate

    from studio.ui.show_voice_names import preview_error

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", REFUSED_URL)
    for voice_id, problem, hint in (
        (
            "edge:en-US-AriaNeural",
            "Aria (online) could not reach Microsoft's voice service: this computer seems to be offline.",
            f"Choose an offline voice such as {english} and try again.",
        ),
        (
            "edge:zh-CN-XiaoxiaoNeural",
            "Xiaoxiao (online) could not reach Microsoft's voice service: this computer seems to be offline.",
            f"Choose an offline voice such as {chinese} and try again.",
        ),
    ):
        with pytest.raises(NetworkError) as info:
            synthesize_preview(voice_id)
        assert voice_id in info.value.problem  # the CLI's words stay as they are
        said = preview_error(info.value, _voice(voice_id), all_voices())
        assert isinstance(said, NetworkError) and (said.problem, said.hint) == (problem, hint)


def test_only_an_online_voice_network_failure_is_reworded() -> None:
    from studio.errors import InputError
    from studio.ui.show_voice_names import preview_error

    aria = _voice("edge:en-US-AriaNeural")
    other = InputError("the voice made no sound for the sample.", "Try another voice.")
    assert preview_error(other, aria, all_voices()) is other
    offline = NetworkError("x", "y")
    assert preview_error(offline, _voice("espeak:en-us"), all_voices()) is offline
    slow = NetworkError("the online voice edge:en-US-AriaNeural needs the network…", "…")
    slow.__cause__ = TimeoutError()
    said = preview_error(slow, aria, all_voices(), "Hello")
    assert (
        said.args[0] == "Aria (online) could not reach Microsoft's voice service: it did not answer in time."
    )
