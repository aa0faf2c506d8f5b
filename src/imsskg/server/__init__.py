"""``imsskg serve``: a read-only SPARQL endpoint, entity pages and the network view, in one process."""
