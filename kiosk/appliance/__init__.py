"""The kiosk as an appliance: systemd's readiness and watchdog, the screen's heartbeat, the screen's supervisor."""
