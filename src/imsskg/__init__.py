"""imsskg: Spanish press releases of Mexico's public health institutions as a knowledge graph.

Data flows one way: :mod:`imsskg.read` → :mod:`imsskg.extract` → :mod:`imsskg.resolve`
→ :mod:`imsskg.graph` → :mod:`imsskg.queries` / :mod:`imsskg.network` / export.
"""

__version__ = "0.1.0"
