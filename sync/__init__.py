"""The kiosk's sync with central: outbox, push, figures, packs, the offline bundle, runs, and `flask sync`."""
