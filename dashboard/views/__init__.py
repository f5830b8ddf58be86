"""What each page section shows, given a Context: data in, frames and sentences out. No Streamlit."""
