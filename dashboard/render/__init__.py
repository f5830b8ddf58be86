"""Pure builders: Vega-Lite charts, pydeck decks, and the brief as slides, HTML and PPTX. No Streamlit."""
