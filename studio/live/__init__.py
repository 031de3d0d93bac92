"""The live engine: a show rendered in real time on one clock, fanned out to outputs."""
