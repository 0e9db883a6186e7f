"""The kiosk's sync with the central system: outbox, push, figures, packs, the offline bundle, runs, and `flask sync`."""
