"""Pure definitions every layer shares: settings, metrics, periods, filters, schema, geo, privacy, formats, access rules."""
