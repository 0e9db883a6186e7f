"""Tools for tests and benchmarks that recreate the venue: never imported by the kiosk itself."""
