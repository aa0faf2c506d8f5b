"""imsskg: Spanish press releases of Mexico's public health institutions as a knowledge graph.

>>> import imsskg
>>> x = imsskg.extract("El director general del IMSS, Zoé Robledo, visitó Puebla.", model="none")
>>> sorted((e.type, e.name) for e in x.entities)
[('Organization', 'Instituto Mexicano del Seguro Social'), ('Person', 'Zoé Robledo'), ('State', 'Puebla')]

Data flows one way: :mod:`imsskg.read` → :mod:`imsskg.extract` → :mod:`imsskg.resolve`
→ :mod:`imsskg.graph` → :mod:`imsskg.queries` / :mod:`imsskg.network` / export; what every
stage shares about Spanish and the domain is :mod:`imsskg.lang`.
"""

import imsskg.extract as _extract_package  # noqa: F401  (bound before the function of the same name)
from imsskg._api import KnowledgeGraph, build, extract, open
from imsskg._build import BuildReport
from imsskg.graph.store import IRI, Rows, Store, StoreError
from imsskg.model import Amount, Document, Entity, Extraction, Mention, Relation
from imsskg.read import ReadError, read_document
from imsskg.stats import Stats

__version__ = "0.1.0"
__all__ = [
    "IRI",
    "Amount",
    "BuildReport",
    "Document",
    "Entity",
    "Extraction",
    "KnowledgeGraph",
    "Mention",
    "ReadError",
    "Relation",
    "Rows",
    "Stats",
    "Store",
    "StoreError",
    "__version__",
    "build",
    "extract",
    "open",
    "read_document",
]
