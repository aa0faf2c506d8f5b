"""Extraction: spaCy components and Spanish domain rules that find entities and relations."""
