"""A short sample of a voice, in its own language, for the app's Preview button."""

from __future__ import annotations

from studio.errors import InputError
from studio.tasks import CancelToken, ProgressFn, no_progress
from studio.translation import tr
from studio.voice.base import Speech, VoiceInfo
from studio.voice.language import primary_language
from studio.voice.registry import resolve

# By the language's primary subtag (and eSpeak's Chinese names). Short: one breath, a few seconds.
_SAMPLES = {
    "en": "Hello! This is how I will sound in your live show.",
    "zh": "大家好！这是我在直播里的声音。",
    "ja": "こんにちは！ライブ配信では、この声でお話しします。",
    "ko": "안녕하세요! 라이브 방송에서는 이 목소리로 말할게요.",
    "es": "¡Hola! Así sonaré en tu transmisión en directo.",
    "fr": "Bonjour ! Voici ma voix pour votre direct.",
    "de": "Hallo! So klinge ich in deiner Live-Sendung.",
    "it": "Ciao! Ecco come suonerò nella tua diretta.",
    "pt": "Olá! É assim que vou soar na sua transmissão ao vivo.",
    "ru": "Привет! Так я буду звучать в вашем прямом эфире.",
}


def preview_text(voice: VoiceInfo) -> str:
    """A sentence in ``voice``'s language (English for a language without one here)."""
    return _SAMPLES.get(primary_language(voice.language), _SAMPLES["en"])


def synthesize_preview(
    voice_id: str,
    text: str | None = None,
    progress: ProgressFn = no_progress,
    token: CancelToken | None = None,
    *,
    label: str = "",
) -> Speech:
    """Speak ``text`` (default: ``preview_text`` of the voice) in ``voice_id`` ("" = the
    default voice for ``text``). ``label`` names the voice in the progress messages (the app
    passes its list's words; default: the engine's name). Raises ``NetworkError`` for an
    online voice without the network, ``Cancelled`` when cancelled (the engines cannot be
    interrupted mid-sentence, so a cancelled preview is dropped once spoken and never played)."""
    token = token or CancelToken()
    progress(0.0, tr("Loading the voice…"))
    engine, voice = resolve(voice_id or None, text or "")
    token.check(tr("the voice preview"))
    sample = text if text and text.strip() else preview_text(voice)
    if voice.needs_network:
        speaking = tr("Speaking a sample in {voice}, online…")
    else:
        speaking = tr("Speaking a sample in {voice}, on this computer…")
    progress(0.2, speaking.format(voice=label or voice.name))
    speech = engine.synthesize(sample, voice)
    token.check(tr("the voice preview"))
    if speech.audio.size == 0:
        raise InputError(
            tr("the voice {voice} made no sound for the sample.").format(voice=label or voice.name),
            tr("Try another voice."),
        )
    progress(1.0, tr("Ready to play."))
    return speech
