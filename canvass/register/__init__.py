"""Electoral register import: supplier layouts, streaming reader, generator and services."""
