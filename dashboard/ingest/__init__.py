"""The validating import of the district's exports (tickets, facilities, communities, boundaries,
the party-building tables)."""
