"""Paper returns: an organiser keys in a printed walk sheet, entry by entry, by elector number and short codes."""
