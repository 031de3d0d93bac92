"""Batch production: many labelled, checked MP4s from one jobs file (``studio batch``).

``jobs`` reads the TOML or CSV jobs file, ``plan`` checks every job up front (avatar, consent,
claims, voice, size, label), ``runner`` runs the rest on a ``local_pool`` or a ``ray_cluster``
backend with retries and skips (``manifest``), and ``report`` writes ``batch-report.json``.
"""
