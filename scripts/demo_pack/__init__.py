"""The bundled demo pack's generator: its text in content.json, its drawing and media steps as code."""
