"""Data protection: retention and purge, erasure, subject access, lasting objections (docs/privacy.md)."""
