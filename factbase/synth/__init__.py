"""Synthetic data for benchmarks and load tests (`manage.py synth`): the vocabulary
(vocabulary.py), a row writer (writer.py) and the builder that draws a deterministic corpus
from the one and writes it with the other (builder.py)."""

from factbase.synth.builder import SynthReport, synth_build

__all__ = ["SynthReport", "synth_build"]
