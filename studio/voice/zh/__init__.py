"""Mandarin for the Kokoro voices: text normalised as a host reads it, then pinyin with tone sandhi."""
