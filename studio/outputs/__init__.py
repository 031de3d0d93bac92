"""Where the live show goes: virtual camera, audio device, recording, RTMP, preview.

Device SDKs (pyvirtualcam, sounddevice) are imported here and nowhere else; the microphone
adapter lives here too, because it is sounddevice's other half.
"""
