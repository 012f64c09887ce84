"""Evidence text: references, badges and claims as words and tables (no Streamlit)."""
