"""Grounded, structured digests of news articles (public exports are added once all modules land)."""
