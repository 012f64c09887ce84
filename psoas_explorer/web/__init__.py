"""The Streamlit layer: the only package that imports Streamlit. Everything else works without it."""
