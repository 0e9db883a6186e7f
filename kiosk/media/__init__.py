"""Imported media: the store by checksum, probing, photo derivatives, and serving with byte ranges."""
