"""Analyses over judged repositories: the compliance delta between two revisions and governance KPIs."""
