"""Outreach projects and Knigonosha home delivery (being built)."""
