"""Sample corpus: five press releases of the IMSS (2018-2024)."""
