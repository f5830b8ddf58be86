"""Pure definitions every layer shares: settings, metrics, periods, filters, schema, geo,
privacy, formats, access rules, the reference streets and the 12345 time limits."""
