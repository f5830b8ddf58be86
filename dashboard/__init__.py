"""红墙先锋 · 西城基层治理看板: the engine behind app.py and pages/.

Sub-packages are layers; a module imports only from its own layer and the layers above it
in this list (tests/test_architecture.py keeps this true):

    core     pure definitions: settings, metrics as records, periods, filters, schema, geo,
             privacy, formatting, access rules, reference data
    demo     the demo generator (its catalogue as data files)              -> core
    store    SQL loading (pure) apart from running it; snapshots, DuckDB, rollups
                                                                           -> core, demo
    ingest   the validating import of the district's exports            -> core, store
    views    what each page section shows, given a Context; no Streamlit -> core, store
    render   Vega-Lite / pydeck builders and the brief's slides, HTML, PPTX -> core, views
    ui       the only Streamlit code: frame, routing, widgets, briefing   -> all of the above
    bench    the benchmark (drives the app like a user)                   -> all of the above

`python -m dashboard` (__main__) is the command line over all of them.
"""
