"""`python -m dashboard bench`: each page timed as the page runs it, plus the app in a real browser."""
