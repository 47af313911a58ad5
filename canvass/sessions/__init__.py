"""Canvassing sessions: an organiser plans one (when, where to meet, which ward and rounds); volunteers say whether
they are coming; afterwards it shows its figures by volunteer. Models here belong to the `canvass` app."""
