"""Pure builders: plotly figures, pydeck decks, and the brief as slides, HTML and PPTX. No Streamlit."""
